namespace Builder.Daemon.Hooks;

/// <summary>The hook directories of DESIGN.md.</summary>
public enum HookKind
{
    PreBuild,
    PostBuild,
    FailedBuild,
}
