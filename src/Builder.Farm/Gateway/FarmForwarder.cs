using Builder.Farm.Pool;
using Builder.Farm.Protocol;

namespace Builder.Farm.Gateway;

/// <summary>
/// Sends a vetted job to the least-loaded up host; on a connect failure or an answer that never completed, the
/// same canonical bytes go to another host (compiles are idempotent), at most <see cref="FarmOptions.MaxRetries"/> times.
/// A job that outlived <see cref="FarmOptions.JobTimeout"/> is not retried.
/// </summary>
internal sealed class FarmForwarder(FarmPool pool, FarmOptions options, TimeProvider time)
{
    private readonly ProtocolLimits _limits = ProtocolLimits.From(options);

    public async Task<ForwardResult> CompileAsync(CompileRequest request, CancellationToken cancellationToken)
    {
        var bytes = MessageWriter.EncodeRequest(request);
        var tried = new List<FarmHost>(options.MaxRetries + 1);
        var errors = new List<string>();
        while (tried.Count <= options.MaxRetries)
        {
            var host = pool.Acquire(tried);
            if (host is null)
            {
                break;
            }
            tried.Add(host);
            try
            {
                var exchange = await FarmConnection.ExchangeAsync(host.Endpoint, bytes, request.Version, _limits,
                    options.ConnectTimeout, options.JobTimeout, time, cancellationToken);
                pool.ReportSuccess(host);
                if (exchange.Response.Succeeded && !exchange.Response.Object.IsEmpty)
                {
                    host.ObserveCompiled(time.GetTimestamp());
                }
                return new ForwardResult(exchange, host.Name, tried.Count, null);
            }
            catch (FarmHostException e) when (e.JobTimedOut)
            {
                return new ForwardResult(null, host.Name, tried.Count, e.Message);
            }
            catch (FarmHostException e)
            {
                pool.ReportFailure(host, e.Message);
                errors.Add(e.Message);
            }
            finally
            {
                FarmPool.Release(host);
            }
        }
        var why = errors.Count == 0 ? "no farm host is up" : string.Join("; ", errors);
        return new ForwardResult(null, tried.Count > 0 ? tried[^1].Name : null, tried.Count, why);
    }
}
