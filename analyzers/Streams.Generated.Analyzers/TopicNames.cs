namespace Streams.Generated.Analyzers;

/// <summary>Kafka's rule for topic names (<c>org.apache.kafka.common.internals.Topic.validate</c>).</summary>
internal static class TopicNames
{
    /// <summary>The longest legal topic name.</summary>
    public const int MaxLength = 249;

    /// <summary>The rule as it appears in diagnostic messages.</summary>
    public const string RuleText = "1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-', and not '.' or '..'";

    /// <summary>True if Kafka accepts <paramref name="name"/> as a topic name.</summary>
    public static bool IsLegal(string name)
    {
        if (name.Length is 0 or > MaxLength || name == "." || name == "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            var legal = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';
            if (!legal)
            {
                return false;
            }
        }

        return true;
    }
}
