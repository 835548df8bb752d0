using FsCheck;
using FsCheck.Fluent;

namespace Streams.Generated.Tests.Serialization.Avro;

/// <summary>FsCheck generators of the Avro test shapes: unicode strings, extreme numbers, nulls, empty and long collections.</summary>
internal static class AvroGenerators
{
    // Valid Unicode only: a lone surrogate has no UTF-8 form (every Avro implementation replaces it).
    private static readonly Gen<char> Bmp = Gen.OneOf(
        Gen.Choose(0x20, 0x7E).Select(c => (char)c),
        Gen.Choose(0, 0xD7FF).Select(c => (char)c),
        Gen.Choose(0xE000, 0xFFFF).Select(c => (char)c));

    public static readonly Gen<string> Text = Gen.OneOf(
        Gen.Constant(""),
        Bmp.ArrayOf().Select(chars => new string(chars)),
        Gen.Elements("héllo wörld", "日本語のテキスト", "emoji 🚀🔥 pairs", "\0 nul and \t tab", new string('x', 300)));

    // FsCheck's own int and long generators stay within the test size (about ±100): add uniform values over the whole range.
    private static readonly Gen<int> AnyInt = Gen.Choose(int.MinValue, int.MaxValue);

    private static readonly Gen<long> AnyLong = Gen.Zip(AnyInt, AnyInt).Select(p => ((long)p.Item1 << 32) | (uint)p.Item2);

    public static readonly Gen<int> Int = Gen.OneOf(ArbMap.Default.GeneratorFor<int>(), AnyInt, Gen.Elements(int.MinValue, int.MaxValue, 0, -1, 63, 64, -65));

    public static readonly Gen<long> Long = Gen.OneOf(ArbMap.Default.GeneratorFor<long>(), AnyLong,
        Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, 1L << 35, -(1L << 56)));

    public static readonly Gen<double> Double = Gen.OneOf(ArbMap.Default.GeneratorFor<double>(),
        Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, double.MinValue));

    public static readonly Gen<float> Float = Gen.OneOf(ArbMap.Default.GeneratorFor<float>(),
        Gen.Elements(float.NaN, float.PositiveInfinity, float.MinValue, float.MaxValue, -0.0f));

    public static readonly Gen<bool> Bool = ArbMap.Default.GeneratorFor<bool>();

    public static readonly Gen<byte[]> Bytes = ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null);

    /// <summary>
    /// A decimal that fits decimal(<paramref name="precision"/>, <paramref name="scale"/>): up to that many digits, up to
    /// <paramref name="scale"/> of them after the point, small and large magnitudes alike.
    /// </summary>
    public static Gen<decimal> Decimal(int precision, int scale) =>
        from digits in Gen.Choose(1, Math.Min(precision, 18))
        from unscaled in AnyLong
        from places in Gen.Choose(0, scale)
        select decimal.Divide(unscaled % (long)Math.Pow(10, digits), (decimal)Math.Pow(10, places))
            // Keep the digits before the point within precision - scale.
            % (decimal)Math.Pow(10, Math.Min(precision - scale, 28));

    public static readonly Gen<DateOnly> Date = Gen.Choose(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber);

    public static readonly Gen<DateTimeOffset> Millis =
        Gen.Choose(-1_000_000, 1_000_000).Select(s => DateTimeOffset.FromUnixTimeMilliseconds(s * 1_234_567L));

    public static readonly Gen<DateTimeOffset> Micros =
        Gen.Choose(-1_000_000, 1_000_000).Select(s => DateTimeOffset.UnixEpoch.AddTicks(s * 1_234_567L * TimeSpan.TicksPerMicrosecond));

    public static readonly Gen<Guid> Uuid = ArbMap.Default.GeneratorFor<Guid>();

    public static Gen<T?> MaybeNull<T>(this Gen<T> gen) where T : class => Gen.Frequency((1, Gen.Constant<T?>(null)), (3, gen.Select(v => (T?)v)));

    public static Gen<T?> MaybeNullValue<T>(this Gen<T> gen) where T : struct => Gen.Frequency((1, Gen.Constant<T?>(null)), (3, gen.Select(v => (T?)v)));

    public static readonly Gen<Flat> Flat =
        from id in Int
        from timestamp in Long
        from price in Double
        from ratio in Float
        from active in Bool
        from name in Text
        select new Flat(id, timestamp, price, ratio, active, name);

    public static readonly Gen<Address> Address =
        from street in Text
        from city in Text
        from zip in Int.MaybeNullValue()
        select new Address(street, city, zip);

    public static readonly Gen<Line> Line =
        from sku in Text
        from quantity in Int
        from price in Decimal(28, 8)
        select new Line(sku, quantity, price);

    private static readonly Gen<Dictionary<string, string>> Tags =
        Gen.Zip(Text, Text).ListOf().Select(pairs =>
        {
            var tags = new Dictionary<string, string>();
            foreach (var (key, value) in pairs) tags[key] = value;
            return tags;
        });

    public static readonly Gen<Order> Order =
        from id in Uuid
        from customer in Text
        from shipTo in Address
        from billTo in Address.MaybeNull()
        from lines in Line.ArrayOf()
        from tags in Tags
        from status in Gen.Elements(Status.Pending, Status.Shipped, Status.Cancelled)
        from placed in Date
        from updated in Millis
        from note in Text.MaybeNull()
        from signature in Bytes
        from scores in Long.ListOf().Select(l => l.ToList())
        from audited in Micros
        from total in Decimal(12, 2)
        select new Order(id, customer, shipTo, billTo, lines, tags, status, placed, updated, note, signature, scores, audited, total);

    public static readonly Gen<Settings> Settings =
        from key in Text
        from limit in Long.MaybeNullValue()
        from values in Text.MaybeNull().ListOf().Select(l => l.ToList())
        from places in Gen.Zip(Text, Address.MaybeNull()).ListOf()
        select new Settings
        {
            Key = key,
            Limit = limit,
            Values = values,
            Places = places.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => (Address?)g.First().Item2),
        };

    public static readonly Gen<Point> Point = Gen.Zip(Double, Double).Select(p => new Point(p.Item1, p.Item2));

    public static readonly Gen<TreeNode> Tree = Gen.Sized(size => TreeOfDepth(Math.Min(size, 3)));

    private static Gen<TreeNode> TreeOfDepth(int depth) =>
        from label in Text
        from children in depth == 0 ? Gen.Constant(Array.Empty<TreeNode>()) : TreeOfDepth(depth - 1).ArrayOf().Select(c => c.Take(3).ToArray())
        from position in Point.MaybeNullValue()
        select new TreeNode(label, children, position);
}
