namespace Streams.Generated.Hosting.Tests;

/// <summary>A service a processor takes in its constructor; the host provides it.</summary>
public interface IGreeter
{
    string Greet(string name);
}

/// <summary>Greets every name: the processor's greeter comes from the host's service provider.</summary>
[Topology("greetings")]
public static partial class GreetingTopology
{
    public const string Names = "names";
    public const string Greetings = "greetings";

    [Processor(From = Names)]
    public partial class Greet(IGreeter greeter)
    {
        public void Process(string name) => Greeted(greeter.Greet(name));

        [To(Greetings)] private partial void Greeted(string value);
    }
}
