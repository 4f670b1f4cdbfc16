namespace Builder.Daemon.Hooks;

/// <summary>The hook directories of DESIGN.md.</summary>
internal enum HookKind
{
    PreBuild,
    PostBuild,
    FailedBuild,
}
