using Avro;
using Streams.Generated.Serialization;
using Streams.Generated.Serialization.Avro;
using static Streams.Generated.Tests.Serialization.Avro.ApacheAvro;

namespace Streams.Generated.Tests.Serialization.Avro.Evolution.V1
{
    [AvroRecord(Namespace = "shop")]
    public partial record Customer(string Name, int Age, string Removed, string[] Notes);

    [AvroRecord(Namespace = "shop")]
    public partial record Profile(string Id, Customer Customer, Customer? Referrer, Dictionary<string, long> Removed);

    public enum Size { Small, Large }

    [AvroRecord(Namespace = "shop")]
    public partial record Basket(
        string Id, Customer[] Members, Dictionary<string, Customer> ByRole, List<Customer>? Guests,
        Size Size, Size[] Sizes, int Count, int Ratio, long Total, float Weight, string Blob, string Label);
}

namespace Streams.Generated.Tests.Serialization.Avro.Evolution.V2
{
    [AvroRecord(Namespace = "shop")]
    public partial record Customer(string Name, int Age, string? Email, string[] Notes, int Tier = 1, string Country = "N\"L", double Score = 0.5, bool Vip = true);

    [AvroRecord(Namespace = "shop")]
    public partial record Profile(string Id, Customer Customer, Customer? Referrer, long Version = 7);

    [AvroRecord(Namespace = "shop", Name = "Profile")]
    public partial record ProfileWithNewRequiredField(string Id, long Required);

    [AvroRecord(Namespace = "shop", Name = "Profile")]
    public partial record ProfileWithChangedType(long Id);

    public enum Size { Medium, Large, Small }

    /// <summary>V1's basket after every change Avro's rules allow: records evolved inside arrays, maps and nullables,
    /// enum symbols added and reordered, numbers promoted, string read as bytes, a field made optional.</summary>
    [AvroRecord(Namespace = "shop")]
    public partial record Basket(
        string Id, Customer[] Members, Dictionary<string, Customer> ByRole, List<Customer>? Guests,
        Size Size, Size[] Sizes, long Count, double Ratio, double Total, double Weight, byte[] Blob, string? Label);
}

namespace Streams.Generated.Tests.Serialization.Avro.Evolution.V3
{
    public enum Size { Large }

    [AvroRecord(Namespace = "shop", Name = "Basket")]
    public partial record BasketWithNarrowSize(string Id, Size Size);
}

namespace Streams.Generated.Tests.Serialization.Avro
{
    /// <summary>
    /// Reading data written by an older version of a type, by Avro's resolution rules: added fields take their
    /// defaults, removed fields are skipped, nested records resolve too; checked against Apache.Avro's resolving reader.
    /// </summary>
    public class AvroEvolutionTests
    {
        private static readonly Evolution.V1.Profile Old = new("p-1",
            new Evolution.V1.Customer("Ada", 36, "gone", ["a", "b"]),
            new Evolution.V1.Customer("Bob", 41, "also gone", []),
            new() { ["x"] = 1, ["y"] = 2 });

        [Fact]
        public void Added_fields_take_their_defaults_and_removed_ones_are_skipped()
        {
            var bytes = WriteOurs(Old);

            var read = new ResolvingAvroSerde<Evolution.V2.Profile>(Evolution.V1.Profile.AvroSchemaJson).Deserialize(bytes);

            Assert.Equal("p-1", read.Id);
            Assert.Equal(7, read.Version);
            Assert.Equal(("Ada", 36, null, 1, "N\"L", 0.5, true), (read.Customer.Name, read.Customer.Age, read.Customer.Email, read.Customer.Tier, read.Customer.Country, read.Customer.Score, read.Customer.Vip));
            Assert.Equal(["a", "b"], read.Customer.Notes);
            Assert.Equal("Bob", read.Referrer!.Name);
        }

        [Fact]
        public void The_result_is_what_Apache_Avros_resolving_reader_reads()
        {
            var bytes = WriteOurs(Old);
            var writer = Schema.Parse(Evolution.V1.Profile.AvroSchemaJson);
            var reader = Schema.Parse(Evolution.V2.Profile.AvroSchemaJson);
            using var stream = new MemoryStream(bytes);
            var apache = new global::Avro.Generic.GenericDatumReader<object>(writer, reader).Read(null!, new global::Avro.IO.BinaryDecoder(stream));

            var ours = new ResolvingAvroSerde<Evolution.V2.Profile>(Evolution.V1.Profile.AvroSchemaJson).Deserialize(bytes);

            Assert.Equal(Normalize(apache), Normalize(ToGeneric(ours, reader)));
        }

        [Fact]
        public void The_same_schema_resolves_to_the_plain_read()
        {
            var bytes = WriteOurs(Old);
            var read = new ResolvingAvroSerde<Evolution.V1.Profile>(Evolution.V1.Profile.AvroSchemaJson).Deserialize(bytes);
            Assert.Equal(Normalize(ToGeneric(Old, Schema.Parse(Evolution.V1.Profile.AvroSchemaJson))),
                Normalize(ToGeneric(read, Schema.Parse(Evolution.V1.Profile.AvroSchemaJson))));
        }

        [Fact]
        public void Schemas_that_cannot_be_resolved_fail_naming_the_field()
        {
            var missingDefault = Assert.Throws<AvroSchemaMismatchException>(() =>
                new ResolvingAvroSerde<Evolution.V2.ProfileWithNewRequiredField>(Evolution.V1.Profile.AvroSchemaJson));
            Assert.Equal("Cannot resolve the Avro schemas: field Profile.Required is not in the writer's schema and has no default; "
                + "make it nullable or give its constructor parameter a default value", missingDefault.Message);

            var changed = Assert.Throws<AvroSchemaMismatchException>(() =>
                new ResolvingAvroSerde<Evolution.V2.ProfileWithChangedType>(Evolution.V1.Profile.AvroSchemaJson));
            Assert.Contains("field Profile.Id is string in the writer's schema but long in the reader's", changed.Message);
        }

        private static readonly Evolution.V1.Basket OldBasket = new("b-1",
            [new("Ada", 36, "gone", ["a"]), new("Bob", 41, "gone too", [])],
            new() { ["owner"] = new("Cy", 29, "x", ["c", "d"]) },
            [new("Dee", 52, "y", [])],
            Evolution.V1.Size.Small, [Evolution.V1.Size.Large, Evolution.V1.Size.Small],
            int.MinValue, 7, long.MaxValue, 1.5f, "bl\u00f6b", "label");

        [Fact]
        public void Records_evolve_inside_arrays_maps_and_nullables_and_leaves_promote()
        {
            var read = new ResolvingAvroSerde<Evolution.V2.Basket>(Evolution.V1.Basket.AvroSchemaJson).Deserialize(WriteOurs(OldBasket));

            Assert.Equal(["Ada", "Bob"], read.Members.Select(m => m.Name));
            Assert.All(read.Members, m => Assert.Equal((null, 1, "N\"L"), (m.Email, m.Tier, m.Country)));
            Assert.Equal(("Cy", 29, 1), (read.ByRole["owner"].Name, read.ByRole["owner"].Age, read.ByRole["owner"].Tier));
            Assert.Equal(["c", "d"], read.ByRole["owner"].Notes);
            Assert.Equal("Dee", Assert.Single(read.Guests!).Name);
            Assert.Equal(Evolution.V2.Size.Small, read.Size);
            Assert.Equal([Evolution.V2.Size.Large, Evolution.V2.Size.Small], read.Sizes);
            Assert.Equal((int.MinValue, 7.0, (double)long.MaxValue, 1.5), (read.Count, read.Ratio, read.Total, read.Weight));
            Assert.Equal("bl\u00f6b"u8.ToArray(), read.Blob);
            Assert.Equal("label", read.Label);
        }

        [Fact]
        public void Evolved_collections_enums_and_promotions_read_as_Apache_Avro_reads_them()
        {
            var bytes = WriteOurs(OldBasket);
            // Apache.Avro's C# reader falls short of the spec twice: it matches enums by full name (the spec: unqualified
            // name), and the two enums live in different C# namespaces, so its writer schema names the enum as the reader
            // does (same encoding); and it does not promote string to bytes, so it reads a string and the test converts.
            var writer = Schema.Parse(Evolution.V1.Basket.AvroSchemaJson.Replace("Evolution.V1", "Evolution.V2"));
            var reader = Schema.Parse(Evolution.V2.Basket.AvroSchemaJson);
            var apacheReader = Schema.Parse(Evolution.V2.Basket.AvroSchemaJson.Replace("{\"name\":\"Blob\",\"type\":\"bytes\"}", "{\"name\":\"Blob\",\"type\":\"string\"}"));
            using var stream = new MemoryStream(bytes);
            var apache = (global::Avro.Generic.GenericRecord)new global::Avro.Generic.GenericDatumReader<object>(writer, apacheReader).Read(null!, new global::Avro.IO.BinaryDecoder(stream));
            apache.Add("Blob", System.Text.Encoding.UTF8.GetBytes((string)apache["Blob"]));

            var ours = new ResolvingAvroSerde<Evolution.V2.Basket>(Evolution.V1.Basket.AvroSchemaJson).Deserialize(bytes);

            Assert.Equal(Normalize(apache), Normalize(ToGeneric(ours, reader)));
        }

        [Fact]
        public void An_enum_symbol_the_reader_lacks_fails_naming_symbol_field_and_offset()
        {
            var serde = new ResolvingAvroSerde<Evolution.V3.BasketWithNarrowSize>(Evolution.V1.Basket.AvroSchemaJson);
            var large = WriteOurs(OldBasket with { Size = Evolution.V1.Size.Large });
            Assert.Equal(Evolution.V3.Size.Large, serde.Deserialize(large).Size);

            var bytes = WriteOurs(OldBasket);
            var error = Assert.Throws<SerdeException>(() => serde.Deserialize(bytes));

            Assert.Equal("Basket.Size", error.Field);
            Assert.Contains("the writer's enum symbol 'Small' is not a symbol of the reader's enum", error.Message);
            // The offset is the enum's: symbol 0 (Small), then the Sizes array's first block of 2 items (zig-zag 4).
            Assert.Equal([0, 4], bytes.AsSpan(error.ByteOffset, 2).ToArray());
        }

        [Fact]
        public void A_record_whose_array_items_changed_is_not_read_as_the_same_schema()
        {
            // Before resolution reached collections, a record type inside an array compared by name alone and was
            // read with the reader's fields: garbage or an error. Now its steps are planned.
            var resolution = AvroResolution.Create(Evolution.V1.Basket.AvroSchemaJson, Evolution.V2.Basket.AvroSchemaJson);
            Assert.False(resolution.IsIdentity);
            Assert.NotNull(resolution.Steps[1].Nested);
            Assert.True(AvroResolution.Create(Evolution.V1.Basket.AvroSchemaJson, Evolution.V1.Basket.AvroSchemaJson).IsIdentity);
        }

        [Fact]
        public void Added_fields_with_constant_defaults_carry_them_in_the_schema()
        {
            var customer = (RecordSchema)Schema.Parse(Evolution.V2.Customer.AvroSchemaJson);
            Assert.Equal("1", customer["Tier"].DefaultValue!.ToString());
            Assert.Equal("N\"L", customer["Country"].DefaultValue!.ToString());
            Assert.True(customer["Vip"].DefaultValue!.ToObject<bool>());
        }
    }
}
