using Avro;
using Streams.Generated.Serialization.Avro;
using static Streams.Generated.Tests.Serialization.Avro.ApacheAvro;

namespace Streams.Generated.Tests.Serialization.Avro.Evolution.V1
{
    [AvroRecord(Namespace = "shop")]
    public partial record Customer(string Name, int Age, string Removed, string[] Notes);

    [AvroRecord(Namespace = "shop")]
    public partial record Profile(string Id, Customer Customer, Customer? Referrer, Dictionary<string, long> Removed);
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
