using System.Runtime.InteropServices;

namespace Streams.Generated.Testing.Native;

/// <summary>
/// Calls into librdkafka's mock-cluster API (<c>rdkafka_mock.h</c>) in the native library that Confluent.Kafka loaded.
/// </summary>
/// <remarks>
/// Binding by file name (<c>DllImport("librdkafka")</c>) would pick the wrong file on Debian 12: Confluent.Kafka loads
/// <c>centos8-librdkafka.so</c> from its runtimes folder because the plain <c>librdkafka.so</c> needs libsasl2.so.3. So
/// we make Confluent.Kafka load its library first, find that file in <c>/proc/self/maps</c> and call its exports through
/// unmanaged function pointers: no marshalling stubs, no delegates, so it also works under Native AOT.
/// Signatures are those of librdkafka 2.16.0 (the mock API is experimental and outside librdkafka's ABI guarantees).
/// </remarks>
internal sealed unsafe class LibrdkafkaMock
{
    /// <summary><c>RD_KAFKA_PRODUCER</c> of <c>rd_kafka_type_t</c>.</summary>
    private const int ProducerType = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c> of <c>rd_kafka_conf_res_t</c>.</summary>
    private const int ConfOk = 0;

    /// <summary><c>RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS</c>.</summary>
    public const int ErrTopicAlreadyExists = 36;

    private static readonly Lock s_lock = new();
    private static LibrdkafkaMock? s_instance;

    private readonly delegate* unmanaged[Cdecl]<nint> _confNew;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int> _confSet;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _confDestroy;
    private readonly delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint> _new;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _destroy;
    private readonly delegate* unmanaged[Cdecl]<int, nint> _err2str;
    private readonly delegate* unmanaged[Cdecl]<int, nint> _err2name;
    private readonly delegate* unmanaged[Cdecl]<nint, int, nint> _clusterNew;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _clusterDestroy;
    private readonly delegate* unmanaged[Cdecl]<nint, nint> _clusterBootstraps;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> _topicCreate;
    private readonly delegate* unmanaged[Cdecl]<nint, int, void> _groupInitialRebalanceDelayMs;

    private LibrdkafkaMock(string path, nint library)
    {
        LibraryPath = path;
        _confNew = (delegate* unmanaged[Cdecl]<nint>)Export(library, path, "rd_kafka_conf_new");
        _confSet = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int>)Export(library, path, "rd_kafka_conf_set");
        _confDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "rd_kafka_conf_destroy");
        _new = (delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Export(library, path, "rd_kafka_new");
        _destroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "rd_kafka_destroy");
        _err2str = (delegate* unmanaged[Cdecl]<int, nint>)Export(library, path, "rd_kafka_err2str");
        _err2name = (delegate* unmanaged[Cdecl]<int, nint>)Export(library, path, "rd_kafka_err2name");
        _clusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)Export(library, path, "rd_kafka_mock_cluster_new");
        _clusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, path, "rd_kafka_mock_cluster_destroy");
        _clusterBootstraps = (delegate* unmanaged[Cdecl]<nint, nint>)Export(library, path, "rd_kafka_mock_cluster_bootstraps");
        _topicCreate = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Export(library, path, "rd_kafka_mock_topic_create");
        _groupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<nint, int, void>)Export(library, path, "rd_kafka_mock_group_initial_rebalance_delay_ms");
    }

    /// <summary>Full path of the native library the calls go to.</summary>
    public string LibraryPath { get; }

    /// <summary>The bound library; loaded on first use. Throws <see cref="PlatformNotSupportedException"/> if not found.</summary>
    public static LibrdkafkaMock Instance
    {
        get
        {
            lock (s_lock)
                return s_instance ??= Load();
        }
    }

    /// <summary>
    /// Creates a handle (<c>rd_kafka_t</c>, producer type, never connected anywhere) that owns a mock cluster's threads
    /// and sockets. Returns the handle, or throws with librdkafka's error text.
    /// </summary>
    public nint CreateHandle(string clientId)
    {
        var conf = _confNew();
        if (conf == 0) throw new InvalidOperationException("rd_kafka_conf_new returned NULL.");
        var errstr = stackalloc byte[512];
        try
        {
            SetConf(conf, "client.id", clientId, errstr);
            // The handle has no brokers of its own: without this it logs "No bootstrap.servers configured" at startup.
            SetConf(conf, "log_level", "3", errstr);
            var rk = _new(ProducerType, conf, errstr, 512);
            if (rk == 0)
                throw new InvalidOperationException($"rd_kafka_new failed: {Utf8(errstr)}");
            conf = 0; // rd_kafka_new took ownership
            return rk;
        }
        finally
        {
            if (conf != 0) _confDestroy(conf);
        }
    }

    /// <summary><c>rd_kafka_destroy</c>.</summary>
    public void DestroyHandle(nint rk) => _destroy(rk);

    /// <summary><c>rd_kafka_mock_cluster_new</c>: 0 on failure (librdkafka logs why).</summary>
    public nint ClusterNew(nint rk, int brokers) => _clusterNew(rk, brokers);

    /// <summary><c>rd_kafka_mock_cluster_destroy</c>: closes the listeners and joins the mock thread.</summary>
    public void ClusterDestroy(nint cluster) => _clusterDestroy(cluster);

    /// <summary><c>rd_kafka_mock_cluster_bootstraps</c>, copied (the native string is owned by the cluster).</summary>
    public string ClusterBootstraps(nint cluster) =>
        Marshal.PtrToStringUTF8(_clusterBootstraps(cluster)) ?? throw new InvalidOperationException("rd_kafka_mock_cluster_bootstraps returned NULL.");

    /// <summary><c>rd_kafka_mock_group_initial_rebalance_delay_ms</c>.</summary>
    public void GroupInitialRebalanceDelayMs(nint cluster, int delayMs) => _groupInitialRebalanceDelayMs(cluster, delayMs);

    /// <summary><c>rd_kafka_mock_topic_create</c>: returns the <c>rd_kafka_resp_err_t</c> (0 = created).</summary>
    public int TopicCreate(nint cluster, string topic, int partitions, int replicationFactor)
    {
        var name = Marshal.StringToCoTaskMemUTF8(topic);
        try
        {
            return _topicCreate(cluster, (byte*)name, partitions, replicationFactor);
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
    }

    /// <summary>"NAME: description" of an <c>rd_kafka_resp_err_t</c>, e.g. "TOPIC_ALREADY_EXISTS: Broker: Topic already exists".</summary>
    public string DescribeError(int err) =>
        $"{Marshal.PtrToStringUTF8(_err2name(err))}: {Marshal.PtrToStringUTF8(_err2str(err))}";

    private void SetConf(nint conf, string name, string value, byte* errstr)
    {
        var n = Marshal.StringToCoTaskMemUTF8(name);
        var v = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            if (_confSet(conf, (byte*)n, (byte*)v, errstr, 512) != ConfOk)
                throw new InvalidOperationException($"rd_kafka_conf_set({name}={value}) failed: {Utf8(errstr)}");
        }
        finally
        {
            Marshal.FreeCoTaskMem(n);
            Marshal.FreeCoTaskMem(v);
        }
    }

    private static string Utf8(byte* s) => Marshal.PtrToStringUTF8((nint)s) ?? "";

    private static nint Export(nint library, string path, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new PlatformNotSupportedException(
                $"The native librdkafka at '{path}' does not export {name}; the embedded Kafka broker needs librdkafka's mock cluster API (librdkafka.redist 2.16.0).");

    private static LibrdkafkaMock Load()
    {
        // Touching Library.Version makes Confluent.Kafka load its native library now, its own way (it picks the file
        // that works on this OS flavour); we then bind to that very file.
        _ = Confluent.Kafka.Library.Version;

        var path = FindLoadedLibrdkafka()
            ?? throw new PlatformNotSupportedException(
                "The embedded Kafka broker could not find the native librdkafka that Confluent.Kafka loaded: it looks it up in " +
                "/proc/self/maps, which exists on Linux only. Use a real Kafka cluster (set BootstrapServers) on this platform.");
        return new LibrdkafkaMock(path, NativeLibrary.Load(path)); // already mapped: this only takes another reference
    }

    private static string? FindLoadedLibrdkafka()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            // "address perms offset dev inode   /path/to/file": the path starts at the first '/'.
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..].TrimEnd();
            var file = Path.GetFileName(path);
            // librdkafka.so, librdkafka.so.1, centos8-librdkafka.so, alpine-librdkafka.so; not the C++ wrapper.
            if (file.Contains("librdkafka", StringComparison.Ordinal)
                && !file.Contains("librdkafkacpp", StringComparison.Ordinal)
                && (file.EndsWith(".so", StringComparison.Ordinal) || file.Contains(".so.", StringComparison.Ordinal)))
                return path;
        }
        return null;
    }
}
