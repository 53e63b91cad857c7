/**
 * Host facts: hostname, primary IP (the address of the interface that holds
 * the default route, so a Docker bridge or VPN is not picked by accident),
 * uptime and the OS pretty name.
 */
import { readText, readTextOr } from './read-text.js';
import { hostname, networkInterfaces } from 'node:os';

/** The host part of a report. */
export interface HostFacts {
  hostname: string;
  ip: string;
  uptime_seconds: number;
  os: string;
}

/** Where the host collector reads from. */
export interface HostSource {
  procUptime: string;
  procNetRoute: string;
  osRelease: string[];
}

/** The interface of the IPv4 default route in /proc/net/route, if any. */
export function defaultRouteInterface(routeTable: string): string | undefined {
  for (const line of routeTable.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (destination === '00000000' && mask === '00000000') return iface;
  }
  return undefined;
}

/** PRETTY_NAME from os-release text. */
export function prettyName(osRelease: string): string | undefined {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  return m ? m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2') : undefined;
}

/** The IPv4 address of `iface`, else the first non-internal IPv4, else 127.0.0.1. */
export function primaryIp(iface: string | undefined, ifaces = networkInterfaces()): string {
  const v4 = (name: string) => ifaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  const viaRoute = iface ? v4(iface) : undefined;
  if (viaRoute) return viaRoute;
  for (const name of Object.keys(ifaces)) {
    const a = v4(name);
    if (a) return a;
  }
  return '127.0.0.1';
}

export async function collectHost(source: HostSource): Promise<HostFacts> {
  const uptime = Number(readText(source.procUptime).split(' ')[0]);
  const route = readTextOr(source.procNetRoute, '');
  let os = 'Linux';
  for (const path of source.osRelease) {
    const name = prettyName(readTextOr(path, ''));
    if (name) {
      os = name;
      break;
    }
  }
  return {
    hostname: hostname(),
    ip: primaryIp(defaultRouteInterface(route)),
    uptime_seconds: Math.floor(uptime),
    os,
  };
}
