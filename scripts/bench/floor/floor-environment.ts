/** A setting the bench stack always passes to the floor's processes; missing means a bench bug. */
export function requiredSetting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: the floor's processes are started by the bench stack`);
  return value;
}
