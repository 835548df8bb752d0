using System.Buffers;
using System.Text.Json;
using Avro;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using BenchmarkDotNet.Attributes;
using MemoryPack;
using Streams.Generated.Serialization.Avro;
using Streams.Generated.Serialization.Json;

namespace Streams.Generated.Benchmarks.Formats;

/// <summary>
/// Serialize and deserialize one record, ns/op and B/op: our generated Avro serde against Apache.Avro (generic and
/// specific), System.Text.Json source generation and MemoryPack. Every serializer writes into a reused buffer and
/// reads from a byte[] prepared in setup.
/// </summary>
[MemoryDiagnoser]
public class SerdeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly MemoryStream _stream = new(4096);
    private Utf8JsonWriter _json = null!;

    private SmallJson _smallJsonRecord = null!;
    private MediumJson _mediumJsonRecord = null!;
    private SmallRecord _small = null!;
    private MediumRecord _medium = null!;
    private byte[] _smallAvro = null!, _mediumAvro = null!, _smallJson = null!, _mediumJson = null!, _smallPack = null!, _mediumPack = null!;

    private GenericRecord _smallGeneric = null!, _mediumGeneric = null!;
    private GenericDatumWriter<GenericRecord> _smallGenericWriter = null!, _mediumGenericWriter = null!;
    private GenericDatumReader<GenericRecord> _smallGenericReader = null!, _mediumGenericReader = null!;
    private SmallSpecific _smallSpecific = null!;
    private SpecificDatumWriter<SmallSpecific> _smallSpecificWriter = null!;
    private SpecificDatumReader<SmallSpecific> _smallSpecificReader = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = new Utf8JsonWriter(_buffer);
        _small = new SmallRecord(42, 1_732_406_400_000, 19.99, 0.25f, true, "widget-large-blue");
        _medium = new MediumRecord(9_000_001, new Customer("Ada Lovelace", "ada@example.com", 3),
            [.. Enumerable.Range(0, 10).Select(i => new Item("sku-" + i, i + 1, 9.5 * i))], "EUR", 1_732_406_400_000);

        _smallJsonRecord = new SmallJson(_small.Id, _small.Timestamp, _small.Price, _small.Ratio, _small.Active, _small.Name);
        _mediumJsonRecord = new MediumJson(_medium.OrderId, new CustomerJson(_medium.Customer.Name, _medium.Customer.Email, _medium.Customer.Tier),
            [.. _medium.Items.Select(i => new ItemJson(i.Sku, i.Quantity, i.Price))], _medium.Currency, _medium.PlacedAt);
        _smallAvro = Bytes(b => AvroSerde<SmallRecord>.Instance.Serialize(_small, b));
        _mediumAvro = Bytes(b => AvroSerde<MediumRecord>.Instance.Serialize(_medium, b));
        _smallJson = JsonSerializer.SerializeToUtf8Bytes(_small, BenchJsonContext.Default.SmallRecord);
        _mediumJson = JsonSerializer.SerializeToUtf8Bytes(_medium, BenchJsonContext.Default.MediumRecord);
        _smallPack = MemoryPackSerializer.Serialize(_small);
        _mediumPack = MemoryPackSerializer.Serialize(_medium);

        var smallSchema = (RecordSchema)Schema.Parse(SmallRecord.AvroSchemaJson);
        var mediumSchema = (RecordSchema)Schema.Parse(MediumRecord.AvroSchemaJson);
        _smallGeneric = new GenericRecord(smallSchema);
        _smallGeneric.Add("Id", _small.Id); _smallGeneric.Add("Timestamp", _small.Timestamp); _smallGeneric.Add("Price", _small.Price);
        _smallGeneric.Add("Ratio", _small.Ratio); _smallGeneric.Add("Active", _small.Active); _smallGeneric.Add("Name", _small.Name);
        _mediumGeneric = ToGeneric(mediumSchema, _medium);
        _smallGenericWriter = new GenericDatumWriter<GenericRecord>(smallSchema);
        _mediumGenericWriter = new GenericDatumWriter<GenericRecord>(mediumSchema);
        _smallGenericReader = new GenericDatumReader<GenericRecord>(smallSchema, smallSchema);
        _mediumGenericReader = new GenericDatumReader<GenericRecord>(mediumSchema, mediumSchema);
        _smallSpecific = new SmallSpecific { Id = _small.Id, Timestamp = _small.Timestamp, Price = _small.Price, Ratio = _small.Ratio, Active = _small.Active, Name = _small.Name };
        _smallSpecificWriter = new SpecificDatumWriter<SmallSpecific>(SmallSpecific.AvroSchema);
        _smallSpecificReader = new SpecificDatumReader<SmallSpecific>(SmallSpecific.AvroSchema, SmallSpecific.AvroSchema);

        // The same bytes from System.Text.Json and from our JSON serde, and from Apache.Avro and our Avro serde.
        if (!Bytes(b => JsonSerde<SmallJson>.Instance.Serialize(_smallJsonRecord, b)).SequenceEqual(_smallJson)
            || !Bytes(b => JsonSerde<MediumJson>.Instance.Serialize(_mediumJsonRecord, b)).SequenceEqual(_mediumJson))
            throw new InvalidOperationException("System.Text.Json and Streams.Generated disagree on the JSON.");
        if (!ApacheBytes(_smallGenericWriter, _smallGeneric).SequenceEqual(_smallAvro) || !ApacheBytes(_mediumGenericWriter, _mediumGeneric).SequenceEqual(_mediumAvro))
            throw new InvalidOperationException("Apache.Avro and Streams.Generated disagree on the encoding.");
    }

    // ---- small: serialize ----

    [Benchmark(Baseline = true), BenchmarkCategory("Small", "Serialize")]
    public int Small_Serialize_StreamsGenerated()
    {
        _buffer.ResetWrittenCount();
        AvroSerde<SmallRecord>.Instance.Serialize(_small, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Small", "Serialize")]
    public long Small_Serialize_ApacheAvroGeneric()
    {
        _stream.Position = 0;
        _smallGenericWriter.Write(_smallGeneric, new BinaryEncoder(_stream));
        return _stream.Position;
    }

    [Benchmark, BenchmarkCategory("Small", "Serialize")]
    public long Small_Serialize_ApacheAvroSpecific()
    {
        _stream.Position = 0;
        _smallSpecificWriter.Write(_smallSpecific, new BinaryEncoder(_stream));
        return _stream.Position;
    }

    [Benchmark, BenchmarkCategory("Small", "Serialize")]
    public int Small_Serialize_SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _small, BenchJsonContext.Default.SmallRecord);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Small", "Serialize")]
    public int Small_Serialize_StreamsGeneratedJson()
    {
        _buffer.ResetWrittenCount();
        JsonSerde<SmallJson>.Instance.Serialize(_smallJsonRecord, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Small", "Serialize")]
    public int Small_Serialize_MemoryPack()
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, _small);
        return _buffer.WrittenCount;
    }

    // ---- small: deserialize ----

    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public SmallRecord Small_Deserialize_StreamsGenerated() => AvroSerde<SmallRecord>.Instance.Deserialize(_smallAvro);

    /// <summary>The generated method called directly, without the generic serde around it.</summary>
    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public SmallRecord Small_Deserialize_StreamsGeneratedDirect()
    {
        var reader = new AvroReader(_smallAvro, "SmallRecord");
        var value = SmallRecord.ReadAvro(ref reader);
        reader.EnsureEnd();
        return value;
    }

    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public GenericRecord Small_Deserialize_ApacheAvroGeneric() =>
        _smallGenericReader.Read(null!, new BinaryDecoder(new MemoryStream(_smallAvro, writable: false)));

    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public SmallSpecific Small_Deserialize_ApacheAvroSpecific() =>
        _smallSpecificReader.Read(new SmallSpecific(), new BinaryDecoder(new MemoryStream(_smallAvro, writable: false)));

    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public SmallRecord? Small_Deserialize_SystemTextJson() => JsonSerializer.Deserialize(_smallJson, BenchJsonContext.Default.SmallRecord);

    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public SmallJson Small_Deserialize_StreamsGeneratedJson() => JsonSerde<SmallJson>.Instance.Deserialize(_smallJson);

    [Benchmark, BenchmarkCategory("Small", "Deserialize")]
    public SmallRecord? Small_Deserialize_MemoryPack() => MemoryPackSerializer.Deserialize<SmallRecord>(_smallPack);

    // ---- medium: serialize ----

    [Benchmark, BenchmarkCategory("Medium", "Serialize")]
    public int Medium_Serialize_StreamsGenerated()
    {
        _buffer.ResetWrittenCount();
        AvroSerde<MediumRecord>.Instance.Serialize(_medium, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Medium", "Serialize")]
    public long Medium_Serialize_ApacheAvroGeneric()
    {
        _stream.Position = 0;
        _mediumGenericWriter.Write(_mediumGeneric, new BinaryEncoder(_stream));
        return _stream.Position;
    }

    [Benchmark, BenchmarkCategory("Medium", "Serialize")]
    public int Medium_Serialize_SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _medium, BenchJsonContext.Default.MediumRecord);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Medium", "Serialize")]
    public int Medium_Serialize_StreamsGeneratedJson()
    {
        _buffer.ResetWrittenCount();
        JsonSerde<MediumJson>.Instance.Serialize(_mediumJsonRecord, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Medium", "Serialize")]
    public int Medium_Serialize_MemoryPack()
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, _medium);
        return _buffer.WrittenCount;
    }

    // ---- medium: deserialize ----

    [Benchmark, BenchmarkCategory("Medium", "Deserialize")]
    public MediumRecord Medium_Deserialize_StreamsGenerated() => AvroSerde<MediumRecord>.Instance.Deserialize(_mediumAvro);

    [Benchmark, BenchmarkCategory("Medium", "Deserialize")]
    public GenericRecord Medium_Deserialize_ApacheAvroGeneric() =>
        _mediumGenericReader.Read(null!, new BinaryDecoder(new MemoryStream(_mediumAvro, writable: false)));

    [Benchmark, BenchmarkCategory("Medium", "Deserialize")]
    public MediumRecord? Medium_Deserialize_SystemTextJson() => JsonSerializer.Deserialize(_mediumJson, BenchJsonContext.Default.MediumRecord);

    [Benchmark, BenchmarkCategory("Medium", "Deserialize")]
    public MediumJson Medium_Deserialize_StreamsGeneratedJson() => JsonSerde<MediumJson>.Instance.Deserialize(_mediumJson);

    [Benchmark, BenchmarkCategory("Medium", "Deserialize")]
    public MediumRecord? Medium_Deserialize_MemoryPack() => MemoryPackSerializer.Deserialize<MediumRecord>(_mediumPack);

    private static byte[] Bytes(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] ApacheBytes(GenericDatumWriter<GenericRecord> writer, GenericRecord record)
    {
        using var stream = new MemoryStream();
        writer.Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private static GenericRecord ToGeneric(RecordSchema schema, MediumRecord medium)
    {
        var customerSchema = (RecordSchema)schema["Customer"].Schema;
        var itemSchema = (RecordSchema)((ArraySchema)schema["Items"].Schema).ItemSchema;
        var customer = new GenericRecord(customerSchema);
        customer.Add("Name", medium.Customer.Name); customer.Add("Email", medium.Customer.Email); customer.Add("Tier", medium.Customer.Tier);
        var items = medium.Items.Select(i =>
        {
            var item = new GenericRecord(itemSchema);
            item.Add("Sku", i.Sku); item.Add("Quantity", i.Quantity); item.Add("Price", i.Price);
            return (object)item;
        }).ToArray();
        var record = new GenericRecord(schema);
        record.Add("OrderId", medium.OrderId); record.Add("Customer", customer); record.Add("Items", items);
        record.Add("Currency", medium.Currency); record.Add("PlacedAt", medium.PlacedAt);
        return record;
    }
}
