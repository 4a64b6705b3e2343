// The one function of @npmcli/map-workspaces that Tarsier uses.
declare module '@npmcli/map-workspaces' {
  /** Workspace names to absolute directories, from the `workspaces` globs of `pkg`. */
  function mapWorkspaces(options: { cwd: string; pkg: Record<string, unknown> }): Promise<Map<string, string>>
  export default mapWorkspaces
}
