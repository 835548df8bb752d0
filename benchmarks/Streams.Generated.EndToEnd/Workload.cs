using System.Text;

namespace Streams.Generated.EndToEnd;

/// <summary>
/// The input every run reads and the per-record work both implementations do, so the two differ only in the
/// framework around it. Record <c>i</c> has key <c>key-{i % KeyCount}</c> and a 100-character ASCII value that starts
/// with <c>i</c> (ten digits), which lets the verifier tell every output record apart. The join's table holds a customer
/// name for every key with an even number: half the keys, so half the input records find one.
/// </summary>
public static class Workload
{
    public const int ValueLength = 100;
    public const int KeyCount = 10_000;
    public const int GroupCount = 1_000;
    private const int IdDigits = 10;

    public static string Key(int id) => "key-" + KeyNumber(id).ToString("D5");

    private static int KeyNumber(int id) => id % KeyCount;

    public static string Value(int id)
    {
        var value = new StringBuilder(ValueLength).Append(id.ToString("D" + IdDigits)).Append(':');
        for (var i = value.Length; i < ValueLength; i++)
            value.Append((char)('a' + (id * 31 + i * 7) % 26));
        return value.ToString();
    }

    /// <summary>The id a value (or its mapped form) starts with.</summary>
    public static int IdOf(string value) => int.Parse(value.AsSpan(0, IdDigits));

    /// <summary>(a) map and (b)'s map step: upper-case the value (the id's digits stay as they are).</summary>
    public static string Map(string value) => value.ToUpperInvariant();

    /// <summary>(b)'s filter step: keeps records with an even id, read from the value's last id digit.</summary>
    public static bool Keep(string value) => (value[IdDigits - 1] - '0') % 2 == 0;

    /// <summary>The new key of the re-keyed count: the id's last three digits, <see cref="GroupCount"/> groups.</summary>
    public static string GroupOf(string value) => value.Substring(IdDigits - 3, 3);

    /// <summary>Whether the join's table has a customer for record <paramref name="id"/>'s key.</summary>
    public static bool HasCustomer(int id) => KeyNumber(id) % 2 == 0;

    /// <summary>The table's value for a key: a short name made from the key's number (<c>key-00042</c>: <c>customer-00042</c>).</summary>
    public static string Customer(string key) => "customer-" + key.Substring(4);

    /// <summary>(d) join: the value with the customer's name appended (the id stays in front, for the verifier).</summary>
    public static string Join(string value, string customer) => value + "|" + customer;

    /// <summary>The join's table: one record per key that has a customer, serialized as <see cref="Input"/> is.</summary>
    public static (byte[] Key, byte[] Value)[] Table() =>
        [.. Enumerable.Range(0, KeyCount).Where(HasCustomer).Select(id => (Encoding.UTF8.GetBytes(Key(id)), Encoding.UTF8.GetBytes(Customer(Key(id)))))];

    /// <summary>The input of a run, serialized once: UTF-8 keys and values, as Kafka's StringSerializer writes them.</summary>
    public static (byte[] Key, byte[] Value)[] Input(int records)
    {
        var input = new (byte[], byte[])[records];
        for (var id = 0; id < records; id++)
            input[id] = (Encoding.UTF8.GetBytes(Key(id)), Encoding.UTF8.GetBytes(Value(id)));
        return input;
    }
}
