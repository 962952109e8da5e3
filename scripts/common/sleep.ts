// The one pause every polling loop here uses (scripts and tests). A negative wait is no wait.
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
