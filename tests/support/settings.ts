// Every program in scripts/ that reads settings, with its one definition: what a docs check enumerates
// (the CMS and the site build declare theirs in their own workspaces).
import { backupSettings, chromiumSettings } from '../../scripts/ops/settings.ts';
import { rebuildServiceSettings, serveSiteSettings } from '../../scripts/rebuild/settings.ts';
import { stackSettings } from '../../scripts/stack/settings.ts';

export const SCRIPT_SETTINGS = [rebuildServiceSettings, serveSiteSettings, stackSettings, backupSettings, chromiumSettings] as const;
