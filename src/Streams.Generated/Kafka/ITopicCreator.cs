namespace Streams.Generated.Kafka;

/// <summary>Creates topics on a cluster (the runtime's internal repartition topics).</summary>
public interface ITopicCreator
{
    /// <summary>Creates topic <paramref name="name"/> with <paramref name="partitions"/> partitions.</summary>
    void CreateTopic(string name, int partitions);
}
