using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Builder.Daemon.Tests.Hosting;

/// <summary>Log event ids are documented as stable alert keys (README, Monitoring): no two messages may share one.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_logger_message_in_the_daemon_and_its_components_has_its_own_event_id()
    {
        var assemblies = new[] { typeof(Daemon.Hosting.BuilderDaemon).Assembly }
            .Concat(typeof(Daemon.Hosting.BuilderDaemon).Assembly.GetReferencedAssemblies()
                .Where(a => a.Name!.StartsWith("Builder.", StringComparison.Ordinal))
                .Select(Assembly.Load))
            .ToList();
        var messages = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.True(messages.Count > 40, $"only {messages.Count} logger messages found");
        Assert.Contains(assemblies, a => a.GetName().Name == "Builder.Audit");
        var duplicates = messages.GroupBy(x => x.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}"))}")
            .ToList();
        Assert.True(duplicates.Count == 0, string.Join("\n", duplicates));
    }
}
