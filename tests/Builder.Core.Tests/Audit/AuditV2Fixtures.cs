namespace Builder.Core.Tests.Audit;

/// <summary>
/// A <c>builder-audit 2</c> build-start record exactly as builderd wrote it before version 4 (README's version 2
/// layout: copy-of, build-deps with origins and hashes, no provenance line): such records stay in mailboxes, so these
/// bytes must go on parsing, hashing and re-serializing unchanged. Never regenerate them.
/// </summary>
internal static class AuditV2Fixtures
{
    public const string StartText = """
        builder-audit 2
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
        build-deps debhelper-compat=13 mirror 1111111111111111111111111111111111111111111111111111111111111111 libc6-dev=2.36-9+deb12u4 pocket:dev 2222222222222222222222222222222222222222222222222222222222222222
        copy-of
        request YnVpbGRlci1yZXF1ZXN0IDEKYWN0aW9uIHN1Ym1pdApwb2NrZXQgZGV2CnBhY2thZ2UgaGVsbG8KcmVxdWVzdGVyIGFsaWNlCm5vbmNlIDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmCmlzc3VlZCAyMDI2LTExLTIyVDE3OjMwOjAwWgo=
        signature LS0tLS1CRUdJTiBTU0ggU0lHTkFUVVJFLS0tLS0KVTFOSVUwbEhBQUFBQVFBQUFETUFBQUFMYzNOb0xXVmtNalUxTVRrQUFBQWcKLS0tLS1FTkQgU1NIIFNJR05BVFVSRS0tLS0tCg==
        """ + "\n";
}
