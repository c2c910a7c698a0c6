/**
 * What a caller may see and change. Grants are per project; `admin` may do
 * everything. Write implies read.
 */
export interface Access {
  userId: string;
  admin: boolean;
  read: ReadonlySet<string>;
  write: ReadonlySet<string>;
}

export function canRead(access: Access, projectUid: string): boolean {
  return access.admin || access.read.has(projectUid) || access.write.has(projectUid);
}

export function canWrite(access: Access, projectUid: string): boolean {
  return access.admin || access.write.has(projectUid);
}

/** Projects the caller may read, or null for "all" (admin). */
export function readableProjects(access: Access): string[] | null {
  return access.admin ? null : [...new Set([...access.read, ...access.write])];
}

/** Full access: the anonymous caller of a gateway without a tokens file (bound to localhost). */
export function adminAccess(userId = 'anonymous'): Access {
  return { userId, admin: true, read: new Set(), write: new Set() };
}

/** A key equal for two callers exactly when they may read the same projects (results may be shared between them). */
export function readScope(access: Access): string {
  return access.admin ? '*' : JSON.stringify(readableProjects(access)!.sort());
}
