// Listening and closing, for every server here (the rebuild service, the static site, test fakes), with one
// wording for a port or host that cannot be used.
import type net from 'node:net';
import { ConfigError } from './errors.ts';

/** The variables that set a server's port and host, named in the error when listening fails. */
export type AddressVariables = { port: string; host?: string };

/**
 * Listens on host:port. With `variables`, a busy port, a foreign address or a privileged port becomes a
 * ConfigError that names the variable to change; any other failure is passed on as it is.
 */
export function listen(server: net.Server, port: number, host = '127.0.0.1', variables?: AddressVariables): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(variables ? addressProblem(error, port, host, variables) : error);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** A listen failure as a person reads it: which variable to change, and to what. */
function addressProblem(error: NodeJS.ErrnoException, port: number, host: string, variables: AddressVariables): Error {
  const hostName = variables.host ? `${variables.host} "${host}"` : `"${host}"`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        `Port ${port} (${variables.port}) is already in use on ${host}. Stop what uses it, or set ${variables.port} to another port.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(`${hostName} is not an address of this machine (${error.code}).`);
    case 'EACCES':
      return new ConfigError(`Not allowed to listen on port ${port} (${variables.port}); use a port above 1023.`);
    default:
      return error;
  }
}

/** Closes a server now: open keep-alive connections are dropped instead of waited for. Safe if it never listened. */
export function closeServer(server: net.Server & { closeAllConnections?: () => void }): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}
