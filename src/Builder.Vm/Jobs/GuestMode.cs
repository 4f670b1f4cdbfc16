namespace Builder.Vm.Jobs;

/// <summary>The guest agent's job modes (the "mode" line of the job description).</summary>
internal enum GuestMode
{
    /// <summary>Install build-deps, dpkg-buildpackage, hand the artifacts back.</summary>
    Build,

    /// <summary>Test mode: try the host's ports, outside addresses and DNS, then the gateway with concurrent jobs.</summary>
    Probe,

    /// <summary>Test mode: never power off.</summary>
    Hang,

    /// <summary>Test mode: fill the root disk.</summary>
    Fill,

    /// <summary>Test mode: write a malicious output tar.</summary>
    Hostile,

    /// <summary>Test mode: hold many raw connections to the gateway, each announcing a large body.</summary>
    ConnFlood,

    /// <summary>Test mode: print forged daemon lines, escapes and bidi overrides, then flood the console.</summary>
    Noisy,
}
