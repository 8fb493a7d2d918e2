/** The URL a proxy listening on host:port answers at (IPv6 hosts in brackets). */
export const urlFor = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
