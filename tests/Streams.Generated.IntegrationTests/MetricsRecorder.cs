using System.Diagnostics.Metrics;
using Streams.Generated.Kafka;

namespace Streams.Generated.IntegrationTests;

/// <summary>
/// Listens to the instruments of one app (by its application id) and samples the observable ones every few
/// milliseconds: the peaks of the gauges and the latest value of each counter.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _peaks = new();
    private readonly Dictionary<(string Instrument, string? Task), long> _latest = new();
    private readonly Dictionary<string, long> _histogramCounts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public MetricsRecorder(string applicationId)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamsInstruments.MeterName
                && instrument.Meter.Tags?.Any(t => t.Key == StreamsInstruments.ApplicationIdTag && (string?)t.Value == applicationId) == true)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            lock (_gate) _histogramCounts[instrument.Name] = _histogramCounts.GetValueOrDefault(instrument.Name) + 1;
        });
        _listener.Start();
        _sampler = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _listener.RecordObservableInstruments();
                try { await Task.Delay(5, _stop.Token); }
                catch (OperationCanceledException) { }
            }
        });
    }

    /// <summary>The highest value seen of an instrument, summed over tasks or threads at each sample.</summary>
    public long Peak(string instrument)
    {
        lock (_gate) return _peaks.GetValueOrDefault(instrument);
    }

    /// <summary>The latest value of an instrument, summed over tasks.</summary>
    public long Total(string instrument)
    {
        lock (_gate) return _latest.Where(kv => kv.Key.Instrument == instrument).Sum(kv => kv.Value);
    }

    /// <summary>How many measurements a histogram received.</summary>
    public long Count(string instrument)
    {
        lock (_gate) return _histogramCounts.GetValueOrDefault(instrument);
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? task = null;
        foreach (var tag in tags)
            if (tag.Key is StreamsInstruments.TaskIdTag or StreamsInstruments.ThreadTag) task = tag.Value?.ToString();
        lock (_gate)
        {
            if (instrument is Counter<long>)
            {
                _latest[(instrument.Name, "counter")] = _latest.GetValueOrDefault((instrument.Name, "counter")) + value;
                return;
            }
            _latest[(instrument.Name, task)] = value;
            var sum = _latest.Where(kv => kv.Key.Instrument == instrument.Name).Sum(kv => kv.Value);
            if (sum > _peaks.GetValueOrDefault(instrument.Name)) _peaks[instrument.Name] = sum;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait();
        _listener.Dispose();
    }
}
