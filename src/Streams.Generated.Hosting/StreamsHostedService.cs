using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streams.Generated.Kafka;

namespace Streams.Generated.Hosting;

/// <summary>
/// Runs one <see cref="StreamsApp"/> for the host's lifetime: starts it in the background (the host does not wait for
/// the cluster), stops it gracefully when the host stops, and stops the host when the app fails.
/// </summary>
internal sealed partial class StreamsHostedService(StreamsApp app, IHostApplicationLifetime lifetime, ILoggerFactory? loggerFactory)
    : BackgroundService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<StreamsHostedService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await app.StartAsync(stoppingToken).ConfigureAwait(false);
            await app.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host stopped before the app had started.
        }
        catch (Exception e)
        {
            // The app logged the error with its exception; this says what happens next.
            AppFailed(_logger, app.Options.ApplicationId, e.Message);
            lifetime.StopApplication();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StreamsException)
        {
            // It had failed: logged, and the reason the host is stopping.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: the app goes on stopping (committing, leaving the group) in the background.
            StopTimedOut(_logger, app.Options.ApplicationId);
        }
        finally
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(2, LogLevel.Warning, "Streams application {ApplicationId} did not stop within the host's shutdown timeout; it goes on stopping in the background")]
    private static partial void StopTimedOut(ILogger logger, string applicationId);

    [LoggerMessage(1, LogLevel.Error, "Streams application {ApplicationId} failed; stopping the host. {Reason}")]
    private static partial void AppFailed(ILogger logger, string applicationId, string reason);
}
