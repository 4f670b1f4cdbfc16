namespace Builder.Core.Tests.Audit;

/// <summary>
/// <c>builder-audit 1</c> records exactly as builderd wrote them before version 2 (<see cref="AuditSamples"/>' start
/// and end records of that time, serialized by that code): mailboxes keep such records forever, so these bytes must
/// go on parsing, hashing and re-serializing unchanged. Never regenerate them.
/// </summary>
internal static class AuditV1Fixtures
{
    public const string StartText = """
        builder-audit 1
        seq 1
        prev genesis
        event build-start
        build 42
        pocket dev
        package hello
        commit 9f1c2e0000000000000000000000000000000000
        version 1:2.10-3~bpo12+1
        requester alice
        key SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAc
        acl sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        image sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
        host builder1.example.org
        time 2026-11-22T17:30:05Z
        build-deps debhelper-compat=13 libc6-dev=2.36-9+deb12u4
        request YnVpbGRlci1yZXF1ZXN0IDEKYWN0aW9uIHN1Ym1pdApwb2NrZXQgZGV2CnBhY2thZ2UgaGVsbG8KcmVxdWVzdGVyIGFsaWNlCm5vbmNlIDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmCmlzc3VlZCAyMDI2LTExLTIyVDE3OjMwOjAwWgo=
        signature LS0tLS1CRUdJTiBTU0ggU0lHTkFUVVJFLS0tLS0KVTFOSVUwbEhBQUFBQVFBQUFETUFBQUFMYzNOb0xXVmtNalUxTVRrQUFBQWcKLS0tLS1FTkQgU1NIIFNJR05BVFVSRS0tLS0tCg==
        """ + "\n";

    /// <summary>sha256 of <see cref="StartText"/>; <see cref="EndText"/>'s prev.</summary>
    public const string StartHash = "sha256:fe1a71edd480771ecc90cd394cb62f68293e94bc269a0a29e79bad594fc814cd";

    public const string EndText = """
        builder-audit 1
        seq 2
        prev sha256:fe1a71edd480771ecc90cd394cb62f68293e94bc269a0a29e79bad594fc814cd
        event build-end
        build 42
        pocket dev
        package hello
        commit 9f1c2e0000000000000000000000000000000000
        version 1:2.10-3~bpo12+1
        requester alice
        key SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAc
        acl sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        image sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
        host builder1.example.org
        time 2026-11-22T17:30:05Z
        build-deps debhelper-compat=13 libc6-dev=2.36-9+deb12u4
        request YnVpbGRlci1yZXF1ZXN0IDEKYWN0aW9uIHN1Ym1pdApwb2NrZXQgZGV2CnBhY2thZ2UgaGVsbG8KcmVxdWVzdGVyIGFsaWNlCm5vbmNlIDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmCmlzc3VlZCAyMDI2LTExLTIyVDE3OjMwOjAwWgo=
        signature LS0tLS1CRUdJTiBTU0ggU0lHTkFUVVJFLS0tLS0KVTFOSVUwbEhBQUFBQVFBQUFETUFBQUFMYzNOb0xXVmtNalUxTVRrQUFBQWcKLS0tLS1FTkQgU1NIIFNJR05BVFVSRS0tLS0tCg==
        result failed
        failed-stage building
        artifacts hello_2.10-3.dsc cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc hello_2.10-3_amd64.deb dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
        compile-jobs 17 sha256:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee
        """ + "\n";

    public const string EndHash = "sha256:5e73343c0f53b1ff6052a7b49ffe7f07bfd1dd250ac78c873a2048f39cdbef89";
}
