using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Builder.Core.Requests;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;
using Builder.Tests.Common.Signing;

namespace Builder.Daemon.Tests.Api;

[Trait(Categories.Name, Categories.Integration)]
public sealed class RequestsApiTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    private static void AssertError(int expectedStatus, string expectedCode, string expectedFragment, (int Status, JsonElement Body) answer)
    {
        Assert.Equal(expectedStatus, answer.Status);
        Assert.Equal(expectedCode, answer.Body.GetProperty("error").GetString());
        Assert.Contains(expectedFragment, answer.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private Task<(int, JsonElement)> PostSignedTextAsync(string text, TestSigningKey key) =>
        host.PostAsync(text, key.Sign(Encoding.UTF8.GetBytes(text), "builder"));

    [Fact]
    public async Task Valid_submit_is_accepted_and_queued()
    {
        var (status, body) = await host.PostAsync(DaemonHost.Submit("alice"), host.Alice);
        Assert.Equal(201, status);
        Assert.Equal("queued", body.GetProperty("state").GetString());
        var id = body.GetProperty("id").GetInt64();
        var (getStatus, build) = await host.GetAsync($"api/v1/builds/{id}");
        Assert.Equal(200, getStatus);
        Assert.Equal("alice", build.GetProperty("build").GetProperty("requester").GetString());
        Assert.Equal(host.Alice.Fingerprint, build.GetProperty("keyFingerprint").GetString());
        Assert.Equal("queued", build.GetProperty("events")[0].GetProperty("to").GetString());
    }

    [Fact]
    public async Task Malformed_line_is_rejected_with_400_naming_the_line()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("alice")).Replace("pocket dev", "pocket=dev", StringComparison.Ordinal);
        AssertError(400, "malformed", "line 3", await PostSignedTextAsync(text, host.Alice));
    }

    [Fact]
    public async Task Wrong_field_order_is_rejected_with_400()
    {
        var lines = RequestFormat.Serialize(DaemonHost.Submit("alice")).Split('\n');
        (lines[2], lines[3]) = (lines[3], lines[2]);
        AssertError(400, "malformed", "line 3", await PostSignedTextAsync(string.Join('\n', lines), host.Alice));
    }

    [Fact]
    public async Task Unknown_field_is_rejected_with_400_naming_it()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("alice")).Replace("requester alice\n", "priority high\nrequester alice\n", StringComparison.Ordinal);
        AssertError(400, "malformed", "priority", await PostSignedTextAsync(text, host.Alice));
    }

    [Fact]
    public async Task Duplicate_field_is_rejected_with_400_naming_it()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("alice")).Replace("package hello\n", "package hello\npackage hello\n", StringComparison.Ordinal);
        AssertError(400, "malformed", "package", await PostSignedTextAsync(text, host.Alice));
    }

    [Fact]
    public async Task Oversize_body_is_rejected_with_413()
    {
        var big = new string('x', 20_000);
        using var response = await host.Http.PostAsJsonAsync("api/v1/requests", new { request = big, signature = "x" });
        Assert.Equal(413, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("too-large", body.GetProperty("error").GetString());
        Assert.Contains("larger than 16384 bytes", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_request_text_in_a_small_body_is_rejected_with_413()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("alice")) + new string('#', 5000);
        AssertError(413, "too-large", "bytes; at most 4096 are allowed", await host.PostAsync(text, "x"));
    }

    [Theory]
    [InlineData("not armored at all")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\n!!!not base64!!!\n-----END SSH SIGNATURE-----\n")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n")]
    public async Task Bad_armor_or_base64_is_rejected_with_400(string signature)
    {
        AssertError(400, "malformed", "signature:", await host.PostAsync(RequestFormat.Serialize(DaemonHost.Submit("alice")), signature));
    }

    [Fact]
    public async Task Body_that_is_not_the_expected_json_is_rejected_with_400_naming_the_member()
    {
        using var response = await host.Http.PostAsync("api/v1/requests",
            new StringContent("""{"request":"x","signature":"y","extra":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("unknown member 'extra'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_by_a_key_not_registered_for_the_requester_is_rejected_with_401()
    {
        // Bob's key is registered, but for bob: alice's request signed with it must fail.
        AssertError(401, "unknown-key", $"signed with key {host.Bob.Fingerprint}, which is not registered for 'alice'",
            await host.PostAsync(DaemonHost.Submit("alice"), host.Bob));
    }

    [Fact]
    public async Task Request_of_an_unknown_principal_is_rejected_with_401()
    {
        AssertError(401, "unknown-key", "requester 'mallory' has no registered key",
            await host.PostAsync(DaemonHost.Submit("mallory"), TestSigningKey.Generate()));
    }

    [Fact]
    public async Task Right_key_but_wrong_namespace_is_rejected_with_401()
    {
        AssertError(401, "bad-signature", "namespace is 'git', expected 'builder'",
            await host.PostAsync(DaemonHost.Submit("alice"), host.Alice, ns: "git"));
    }

    [Fact]
    public async Task Payload_changed_after_signing_is_rejected_with_401()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("alice"));
        var signature = host.Alice.Sign(Encoding.UTF8.GetBytes(text), "builder");
        var changed = text.Replace("package hello", "package other", StringComparison.Ordinal);
        AssertError(401, "bad-signature", "does not verify", await host.PostAsync(changed, signature));
    }

    [Fact]
    public async Task Requester_not_in_the_pockets_acl_is_rejected_with_403()
    {
        AssertError(403, "forbidden", "'bob' is not allowed to submit builds in pocket 'prod' (acl/prod)",
            await host.PostAsync(DaemonHost.Submit("bob", pocket: "prod"), host.Bob));
    }

    [Fact]
    public async Task Unknown_pocket_is_rejected_with_404()
    {
        AssertError(404, "unknown-pocket", "unknown pocket 'staging'", await host.PostAsync(DaemonHost.Submit("alice", pocket: "staging"), host.Alice));
    }

    [Fact]
    public async Task Unknown_package_is_rejected_with_404()
    {
        AssertError(404, "unknown-package", "unknown package 'nosuchpkg'", await host.PostAsync(DaemonHost.Submit("alice", package: "nosuchpkg"), host.Alice));
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    [InlineData(-120)]
    public async Task Issued_outside_the_window_is_rejected_with_401(int minutes)
    {
        var request = DaemonHost.Submit("alice", issued: DaemonHost.NowSeconds().AddMinutes(minutes));
        AssertError(401, "stale-request", "the limit is ±5 min", await host.PostAsync(request, host.Alice));
    }

    [Fact]
    public async Task Issued_inside_the_window_is_accepted()
    {
        var request = DaemonHost.Submit("alice", issued: DaemonHost.NowSeconds().AddMinutes(-4));
        Assert.Equal(201, (await host.PostAsync(request, host.Alice)).Status);
    }

    [Fact]
    public async Task Replayed_nonce_is_rejected_with_409()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("alice"));
        var signature = host.Alice.Sign(Encoding.UTF8.GetBytes(text), "builder");
        Assert.Equal(201, (await host.PostAsync(text, signature)).Status);
        AssertError(409, "replayed-nonce", "was already used", await host.PostAsync(text, signature));
    }

    [Fact]
    public async Task Of_20_concurrent_identical_submissions_exactly_one_is_accepted()
    {
        var text = RequestFormat.Serialize(DaemonHost.Submit("bob"));
        var signature = host.Bob.Sign(Encoding.UTF8.GetBytes(text), "builder");
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await host.PostAsync(text, signature);
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(tasks);
        Assert.Equal(1, answers.Count(a => a.Status == 201));
        Assert.Equal(19, answers.Count(a => a.Status == 409));
        var id = answers.Single(a => a.Status == 201).Body.GetProperty("id").GetInt64();
        var (_, list) = await host.GetAsync("api/v1/builds?package=hello&limit=500");
        Assert.Single(list.EnumerateArray(), b => b.GetProperty("requester").GetString() == "bob" && b.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Cancel_of_someone_elses_build_without_cancel_any_is_rejected_with_403()
    {
        var (_, submitted) = await host.PostAsync(DaemonHost.Submit("alice"), host.Alice);
        var id = submitted.GetProperty("id").GetInt64();
        AssertError(403, "forbidden", $"'bob' may not cancel build {id} of 'alice': that needs the cancel-any flag in acl/dev",
            await host.PostAsync(DaemonHost.Cancel("bob", "dev", id), host.Bob));
        var (_, build) = await host.GetAsync($"api/v1/builds/{id}");
        Assert.Equal("queued", build.GetProperty("build").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Cancel_any_flag_allows_cancelling_someone_elses_queued_build()
    {
        var (_, submitted) = await host.PostAsync(DaemonHost.Submit("alice"), host.Alice);
        var id = submitted.GetProperty("id").GetInt64();
        var (status, body) = await host.PostAsync(DaemonHost.Cancel("carol", "dev", id), host.Carol);
        Assert.Equal(200, status);
        Assert.Equal("cancelled", body.GetProperty("state").GetString());
        AssertError(409, "conflict", $"build {id} is already cancelled", await host.PostAsync(DaemonHost.Cancel("alice", "dev", id), host.Alice));
    }

    [Fact]
    public async Task Own_build_can_be_cancelled_and_the_event_names_the_requester()
    {
        var (_, submitted) = await host.PostAsync(DaemonHost.Submit("bob"), host.Bob);
        var id = submitted.GetProperty("id").GetInt64();
        Assert.Equal(200, (await host.PostAsync(DaemonHost.Cancel("bob", "dev", id), host.Bob)).Status);
        var (_, build) = await host.GetAsync($"api/v1/builds/{id}");
        var last = build.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("cancelled", last.GetProperty("to").GetString());
        Assert.Equal("cancelled by bob", last.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cancel_naming_the_wrong_pocket_is_rejected_with_400()
    {
        var (_, submitted) = await host.PostAsync(DaemonHost.Submit("alice"), host.Alice);
        var id = submitted.GetProperty("id").GetInt64();
        AssertError(400, "malformed", $"field 'pocket' is 'prod' but build {id} is in pocket 'dev'",
            await host.PostAsync(DaemonHost.Cancel("alice", "prod", id), host.Alice));
    }

    [Fact]
    public async Task Cancel_of_an_unknown_build_is_rejected_with_404()
    {
        AssertError(404, "unknown-build", "unknown build 999999999", await host.PostAsync(DaemonHost.Cancel("alice", "dev", 999_999_999), host.Alice));
    }
}
