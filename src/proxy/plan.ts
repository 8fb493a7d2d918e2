import picomatch from 'picomatch';
import { defaultGroup, findGroup } from '../config/groups.js';
import type { ConfigFile, Route } from '../config/schema.js';
import type { ApiFormat } from '../formats/api-format.js';
import { VIA_ROUTE } from './breaker.js';
import { profileTarget, type Target, transparentTarget } from './target.js';

/** How an instance chooses targets; fixed at start, resolved against the live config per request. */
export type Mode =
  | { kind: 'profile'; profile: string }
  /** `group`: the name it was started with (for display); `id`: what finds it, also after a rename. */
  | { kind: 'group'; group: string; id?: string }
  | { kind: 'default' };

/** The group a group-mode proxy serves: by its id, so that a rename does not lose it. */
export const modeGroup = (config: ConfigFile, mode: Mode & { kind: 'group' }) =>
  (mode.id !== undefined ? findGroup(config, mode.id) : undefined) ?? findGroup(config, mode.group);

export interface PlanRequest {
  clientFormat: ApiFormat;
  /** The model the client asked for ('' when the body has none). */
  model: string;
}

export interface Plan {
  targets: Target[];
  /** What served the choice, for logs and errors: "profile main", "group g", "route 2", "default". */
  source: string;
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

const matcherCache = new Map<string, (s: string) => boolean>();
function globMatch(glob: string, value: string): boolean {
  let matcher = matcherCache.get(glob);
  if (!matcher) {
    // bash: `*` also crosses `/` (model names such as `anthropic/claude-sonnet-4` are not paths)
    matcher = picomatch(glob, { nocase: true, dot: true, bash: true });
    matcherCache.set(glob, matcher);
  }
  return matcher(value);
}

/** Coder whose active profile serves a client format in default mode. */
const CODER_FOR_FORMAT: Record<ApiFormat, 'claude' | 'codex'> = {
  anthropic_messages: 'claude',
  openai_chat: 'codex',
  openai_responses: 'codex',
  gemini: 'claude',
};

/** The targets the mode gives for a client format, before routes (the same for every request until the config changes). */
export function modeTargets(
  config: ConfigFile,
  mode: Mode,
  req: Pick<PlanRequest, 'clientFormat'>,
  proxyHeaders: Record<string, string>,
): Plan {
  const profileByName = (name: string) => config.profiles?.[name];
  switch (mode.kind) {
    case 'profile': {
      const profile = profileByName(mode.profile);
      if (!profile)
        throw new PlanError(
          `profile "${mode.profile}" no longer exists in the config; restart with another --profile or recreate it`,
        );
      return {
        targets: [profileTarget(config, profile, req.clientFormat, proxyHeaders)],
        source: `profile ${profile.name}`,
      };
    }
    case 'group': {
      const group = modeGroup(config, mode);
      if (!group)
        throw new PlanError(
          `group "${mode.group}" no longer exists in the config; restart with another --group or recreate it`,
        );
      return groupPlan(config, group.name, group.profiles, req, proxyHeaders);
    }
    case 'default': {
      const group = defaultGroup(config);
      if (group) return groupPlan(config, group.name, group.profiles, req, proxyHeaders);
      const active = config.coders?.[CODER_FOR_FORMAT[req.clientFormat]]?.activeProfile;
      const profile = active ? profileByName(active) : undefined;
      if (profile)
        return {
          targets: [profileTarget(config, profile, req.clientFormat, proxyHeaders)],
          source: `active profile ${profile.name}`,
        };
      return { targets: [transparentTarget(req.clientFormat, proxyHeaders)], source: 'default' };
    }
  }
}

function groupPlan(
  config: ConfigFile,
  name: string,
  profiles: readonly string[],
  req: Pick<PlanRequest, 'clientFormat'>,
  proxyHeaders: Record<string, string>,
): Plan {
  const targets = profiles.flatMap((p) => {
    const profile = config.profiles?.[p];
    return profile ? [profileTarget(config, profile, req.clientFormat, proxyHeaders)] : [];
  });
  if (targets.length === 0)
    throw new PlanError(`group "${name}" has no existing profiles; edit it: swixter group edit ${name} --profiles …`);
  return { targets, source: `group ${name}` };
}

function routeMatches(route: Route, target: Target, model: string): boolean {
  if (route.match.model !== undefined && !globMatch(route.match.model, model)) return false;
  if (route.match.provider !== undefined && route.match.provider !== target.providerId) return false;
  return true;
}

/**
 * The ordered targets for one request. Routes (proxy.routes) are checked first, in order: for
 * each target the mode would use, the first route whose `match` fits (model glob against the
 * requested model, provider id against the target's provider) replaces it — with the route's
 * profile when one is named, and/or the route's upstream URL. So a model route overrides the
 * profile/group choice; a provider route redirects just that provider's targets.
 */
export function planRequest(
  config: ConfigFile,
  mode: Mode,
  req: PlanRequest,
  proxyHeaders: Record<string, string>,
  routes: readonly Route[],
  base: Plan = modeTargets(config, mode, req, proxyHeaders),
): Plan {
  if (routes.length === 0) return base;
  const routed: Target[] = [];
  const used: string[] = [];
  for (const target of base.targets) {
    // A route naming a profile that no longer exists is skipped (the runtime warns about it on reload).
    const index = routes.findIndex(
      (r) => routeMatches(r, target, req.model) && (!r.profile || config.profiles?.[r.profile] !== undefined),
    );
    if (index < 0) {
      routed.push(target);
      continue;
    }
    const route = routes[index]!;
    let next = target;
    if (route.profile) {
      next = profileTarget(config, config.profiles![route.profile]!, req.clientFormat, proxyHeaders);
    }
    if (route.upstream) next = { ...next, baseURL: route.upstream, label: `${next.label}${VIA_ROUTE}${index + 1}` };
    used.push(`route ${index + 1}`);
    if (!routed.some((t) => t.label === next.label)) routed.push(next);
  }
  return {
    targets: routed,
    source: used.length > 0 ? `${[...new Set(used)].join(', ')} (${base.source})` : base.source,
  };
}
