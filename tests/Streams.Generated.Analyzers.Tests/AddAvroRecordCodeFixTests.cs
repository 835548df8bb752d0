using Streams.Generated.Analyzers.Tests.Infrastructure;
using Streams.Generated.CodeFixes;

namespace Streams.Generated.Analyzers.Tests;

/// <summary>SG0005 "Mark [AvroRecord] partial": before/after, one diagnostic at a time and through Fix All.</summary>
public class AddAvroRecordCodeFixTests
{
    [Fact]
    public Task MarksTheRecordUsedAtTheTopics() => CodeFixVerifier.VerifyAsync(new AddAvroRecordCodeFixProvider(), """
        using Streams.Generated;

        /// <summary>An order.</summary>
        public sealed record Order(string Customer, decimal Total);

        [Topology("orders")]
        public static partial class Orders
        {
            [Processor(From = "orders")]
            public partial class Large
            {
                public void Process(string customer, {|SG0005:Order order|})
                {
                    if (order.Total > 10_000) Flagged(customer, order);
                }

                [To("large-orders")] private partial void Flagged(string key, {|SG0005:Order? value|});
            }
        }
        """, """
        using Streams.Generated;

        /// <summary>An order.</summary>
        [AvroRecord]
        public sealed partial record Order(string Customer, decimal Total);

        [Topology("orders")]
        public static partial class Orders
        {
            [Processor(From = "orders")]
            public partial class Large
            {
                public void Process(string customer, Order order)
                {
                    if (order.Total > 10_000) Flagged(customer, order);
                }

                [To("large-orders")] private partial void Flagged(string key, Order? value);
            }
        }
        """);

    [Fact]
    public Task MarksStructsAndClassesAndAddsTheUsing() => CodeFixVerifier.VerifyAsync(new AddAvroRecordCodeFixProvider(), """
        namespace Shop
        {
            [System.Serializable]
            public struct Point
            {
                public int X { get; set; }
                public int Y { get; set; }
            }

            public class Label
            {
                public string Text { get; set; } = "";
            }

            [Streams.Generated.Topology("points")]
            public static partial class Points
            {
                [Streams.Generated.Processor(From = "points")]
                public partial class Name
                {
                    public void Process({|SG0005:Point key|}, {|SG0005:Point? value|}) => Named(key, new Label());

                    [Streams.Generated.To("labels")] private partial void Named({|SG0005:Point key|}, {|SG0005:Label value|});
                }
            }
        }
        """, """
        using Streams.Generated;

        namespace Shop
        {
            [System.Serializable]
            [AvroRecord]
            public partial struct Point
            {
                public int X { get; set; }
                public int Y { get; set; }
            }

            [AvroRecord]
            public partial class Label
            {
                public string Text { get; set; } = "";
            }

            [Streams.Generated.Topology("points")]
            public static partial class Points
            {
                [Streams.Generated.Processor(From = "points")]
                public partial class Name
                {
                    public void Process(Point key, Point? value) => Named(key, new Label());

                    [Streams.Generated.To("labels")] private partial void Named(Point key, Label value);
                }
            }
        }
        """);

    [Fact]
    public Task MarksATypeDeclaredInAnotherFile() => CodeFixVerifier.VerifyInOtherDocumentAsync(new AddAvroRecordCodeFixProvider(), """
        using Shop.Model;
        using Streams.Generated;

        [Topology("orders")]
        public static partial class Orders
        {
            [Processor(From = "orders")]
            public partial class Large
            {
                public void Process(string customer, Order order) => Flagged(order.Lines[0]);

                [To("large-lines")] private partial void Flagged(Line value);
            }
        }
        """, """
        namespace Shop.Model;

        public record Order(string Customer, Line[] Lines);

        public record Line(string Sku, int Quantity);
        """, """
        using Shop.Model;
        using Streams.Generated;

        [Topology("orders")]
        public static partial class Orders
        {
            [Processor(From = "orders")]
            public partial class Large
            {
                public void Process(string customer, Order order) => Flagged(order.Lines[0]);

                [To("large-lines")] private partial void Flagged(Line value);
            }
        }
        """, """
        using Streams.Generated;

        namespace Shop.Model;

        [AvroRecord]
        public partial record Order(string Customer, Line[] Lines);

        [AvroRecord]
        public partial record Line(string Sku, int Quantity);
        """);

    [Fact]
    public Task NoFixForTypesAvroRecordCannotMark() => CodeFixVerifier.VerifyNoFixAsync(new AddAvroRecordCodeFixProvider(), """
        using Streams.Generated;

        public sealed record Box<T>(T Item);

        public abstract class Shape { public int Sides { get; set; } }

        public interface IEvent { }

        public enum Color { Red, Green }

        public sealed record Order(string Customer);

        [Topology("t")]
        public static partial class T
        {
            [Processor(From = "in")]
            public partial class A
            {
                public void Process({|SG0005:TimeSpan key|}, {|SG0005:Box<int> value|}) { }
            }

            [Processor(From = "shapes")]
            public partial class B
            {
                public void Process({|SG0005:Shape key|}, {|SG0005:IEvent value|}) { }
            }

            [Processor(From = "colors")]
            public partial class C
            {
                public void Process({|SG0005:Color key|}, {|SG0005:Order[] value|}) { }
            }
        }
        """);
}
