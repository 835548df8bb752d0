using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Streams.Generated.Generator.Model;

namespace Streams.Generated.Generator;

public sealed partial class TopologyGenerator
{
    /// <summary>
    /// The human-readable views of a topology: text in the shape of Kafka Streams' <c>Topology.describe()</c>, and a
    /// Mermaid flowchart. Source and sink nodes are named after their topic (<c>{topic}-source</c>, <c>{topic}-sink</c>).
    /// </summary>
    internal static class Describer
    {
        public static string Describe(TopologySpec spec)
        {
            var text = new StringBuilder();
            text.Append("Topologies:\n");
            var nodes = Index(spec);
            for (var s = 0; s < spec.Subtopologies.Count; s++)
            {
                var subtopology = spec.Subtopologies[s];
                if (s > 0)
                {
                    text.Append('\n');
                }

                text.Append("   Sub-topology: ").Append(subtopology.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
                foreach (var source in subtopology.Sources)
                {
                    text.Append("    Source: ").Append(source.Topic.Name).Append("-source (topics: [").Append(source.Topic.Name).Append("])\n");
                    text.Append("      --> ").Append(List(source.Readers)).Append('\n');
                }

                foreach (var name in subtopology.Nodes)
                {
                    var node = nodes[name];
                    text.Append("    Processor: ").Append(name).Append(" (stores: [").Append(node.Store?.Name ?? "").Append("])\n");
                    text.Append("      --> ").Append(List(Successors(node))).Append('\n');
                    text.Append("      <-- ").Append(List(Predecessors(spec, subtopology, name))).Append('\n');
                }

                foreach (var sink in subtopology.Sinks)
                {
                    text.Append("    Sink: ").Append(sink.Name).Append("-sink (topic: ").Append(sink.Name).Append(")\n");
                    text.Append("      <-- ").Append(List(Writers(spec, subtopology, sink))).Append('\n');
                }
            }

            return text.ToString();
        }

        public static string Mermaid(TopologySpec spec)
        {
            var text = new StringBuilder();
            text.Append("flowchart LR\n");
            var topicIds = new Dictionary<TopicSpec, string>();
            foreach (var subtopology in spec.Subtopologies)
            {
                foreach (var source in subtopology.Sources)
                {
                    AddTopic(source.Topic);
                }

                foreach (var sink in subtopology.Sinks)
                {
                    AddTopic(sink);
                }
            }

            var nodes = Index(spec);
            foreach (var subtopology in spec.Subtopologies)
            {
                var id = subtopology.Id.ToString(CultureInfo.InvariantCulture);
                text.Append("    subgraph s").Append(id).Append(" [\"Sub-topology ").Append(id).Append("\"]\n");
                foreach (var name in subtopology.Nodes)
                {
                    var node = nodes[name];
                    var label = node.Store is not { } store ? name
                        : node.Join is { } join ? name + "<br/>" + (join.IsLeft ? "left join" : "join") + " table " + join.Table + ", store: " + store.Name
                        : name + "<br/>count" + (store.Window is { } window ? " (" + window.Text + ")" : "") + ", store: " + store.Name;
                    text.Append("        ").Append(NodeId(name)).Append("[\"").Append(label).Append("\"]\n");
                }

                text.Append("    end\n");
            }

            foreach (var subtopology in spec.Subtopologies)
            {
                foreach (var source in subtopology.Sources)
                {
                    foreach (var reader in source.Readers)
                    {
                        var arrow = nodes[reader].ReadsAsTable(source.Topic) ? " -->|table| " : " --> ";
                        text.Append("    ").Append(topicIds[source.Topic]).Append(arrow).Append(NodeId(reader)).Append('\n');
                    }
                }

                foreach (var name in subtopology.Nodes)
                {
                    foreach (var output in nodes[name].Outputs)
                    {
                        var target = output.TargetKind == OutputTargetKind.Node
                            ? NodeId(output.Target)
                            : topicIds[subtopology.Sinks[output.SinkIndex]];
                        text.Append("    ").Append(NodeId(name)).Append(output.MethodName is { } method ? " -->|" + method + "| " : " --> ")
                            .Append(target).Append('\n');
                    }
                }
            }

            return text.ToString();

            void AddTopic(TopicSpec topic)
            {
                if (!topicIds.ContainsKey(topic))
                {
                    var id = "t" + topicIds.Count.ToString(CultureInfo.InvariantCulture);
                    topicIds.Add(topic, id);
                    text.Append("    ").Append(id).Append("([\"").Append(topic.Name).Append("\"])\n");
                }
            }
        }

        // Node ids get a prefix: a C# identifier such as `end` is a Mermaid keyword.
        private static string NodeId(string name) => "n_" + name;

        private static List<string> Successors(NodeSpec node)
        {
            var successors = new List<string>();
            foreach (var output in node.Outputs)
            {
                var name = output.TargetKind == OutputTargetKind.Node ? output.Target : output.Target + "-sink";
                if (!successors.Contains(name))
                {
                    successors.Add(name);
                }
            }

            return successors;
        }

        private static List<string> Predecessors(TopologySpec spec, SubtopologySpec subtopology, string nodeName)
        {
            var predecessors = new List<string>();
            foreach (var source in subtopology.Sources)
            {
                if (source.Readers.Contains(nodeName))
                {
                    predecessors.Add(source.Topic.Name + "-source");
                }
            }

            foreach (var node in spec.Nodes)
            {
                foreach (var output in node.Outputs)
                {
                    if (output.TargetKind == OutputTargetKind.Node && output.Target == nodeName && !predecessors.Contains(node.Name))
                    {
                        predecessors.Add(node.Name);
                    }
                }
            }

            return predecessors;
        }

        private static List<string> Writers(TopologySpec spec, SubtopologySpec subtopology, TopicSpec sink)
        {
            var writers = new List<string>();
            foreach (var node in spec.Nodes)
            {
                if (node.SubtopologyId != subtopology.Id)
                {
                    continue;
                }

                foreach (var output in node.Outputs)
                {
                    if (output.SinkIndex >= 0 && subtopology.Sinks[output.SinkIndex].Equals(sink) && !writers.Contains(node.Name))
                    {
                        writers.Add(node.Name);
                    }
                }
            }

            return writers;
        }

        private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

        private static Dictionary<string, NodeSpec> Index(TopologySpec spec)
        {
            var index = new Dictionary<string, NodeSpec>(System.StringComparer.Ordinal);
            foreach (var node in spec.Nodes)
            {
                index[node.Name] = node;
            }

            return index;
        }
    }
}
