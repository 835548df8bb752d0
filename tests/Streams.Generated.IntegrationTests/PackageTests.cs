using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Streams.Generated.IntegrationTests;

/// <summary>
/// What a user installs: <c>dotnet pack</c> makes the Streams.Generated, Streams.Generated.Testing and Streams.Generated.Hosting packages (see
/// <see cref="PackedPackages"/>), and a separate project outside the repository, referencing those packages (not the
/// projects), gets the generator and the analyzers from them: its topology compiles and runs, and a broken topology
/// fails its build with the analyzer's diagnostic id.
/// </summary>
[Collection(SdkProcessesCollection.Name)]
public sealed partial class PackageTests(PackedPackages packages) : IClassFixture<PackedPackages>
{
    private static readonly string[] RoslynComponents =
    [
        "analyzers/dotnet/cs/Streams.Generated.Analyzers.dll",
        "analyzers/dotnet/cs/Streams.Generated.CodeFixes.dll",
        "analyzers/dotnet/cs/Streams.Generated.Generator.dll",
    ];

    [Fact]
    public void Streams_Generated_carries_the_runtime_and_the_roslyn_components_and_depends_on_no_roslyn_package()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("Streams.Generated"));
        var files = package.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net10.0/Streams.Generated.dll", files);
        Assert.Contains("lib/net10.0/Streams.Generated.xml", files);
        Assert.Contains("README.md", files);
        Assert.Equal(RoslynComponents, files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        var metadata = Nuspec(package, "Streams.Generated");
        Assert.Equal(packages.Version, Text(metadata, "version"));
        Assert.Equal("Apache-2.0", Text(metadata, "license"));
        Assert.Equal("expression", metadata.Element("license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", Text(metadata, "readme"));
        Assert.NotNull(metadata.Element("repository")?.Attribute("commit"));
        Assert.Equal(["Confluent.Kafka", "Microsoft.Extensions.Logging.Abstractions"], Dependencies(metadata).Select(d => d.Id).Order(StringComparer.Ordinal));

        // The compiler loads an analyzer only if it is at least as new as the Roslyn the analyzer references (else
        // CS9057): 4.14 is the .NET 9.0.300 SDK, the oldest the README promises.
        foreach (var component in RoslynComponents)
        {
            var roslyn = RoslynReferences(package.GetEntry(component)!);
            Assert.True(roslyn.Count > 0, component + " references no Microsoft.CodeAnalysis assembly");
            Assert.All(roslyn, reference => Assert.True(reference.Version <= new Version(4, 14, 0, 0),
                $"{component} references {reference.Name} {reference.Version}, newer than Roslyn 4.14 (README: SDK 9.0.300)"));
        }

        // The symbol package holds the portable PDB of the runtime (where the clone has a GitHub, GitLab, Azure Repos or
        // Bitbucket remote, SourceLink has written the source URLs of the commit into it).
        using var symbols = ZipFile.OpenRead(Path.ChangeExtension(packages.PackagePath("Streams.Generated"), ".snupkg"));
        Assert.Contains("lib/net10.0/Streams.Generated.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void Streams_Generated_Testing_depends_on_the_same_Streams_Generated_with_its_analyzers()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("Streams.Generated.Testing"));
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/Streams.Generated.Testing.dll", files);
        Assert.Contains("README.md", files);
        Assert.DoesNotContain(files, f => f.StartsWith("analyzers/", StringComparison.Ordinal));

        var metadata = Nuspec(package, "Streams.Generated.Testing");
        Assert.Equal("Apache-2.0", Text(metadata, "license"));
        var dependencies = Dependencies(metadata).ToDictionary(d => d.Id);
        Assert.Equal(["Confluent.Kafka", "Streams.Generated"], dependencies.Keys.Order(StringComparer.Ordinal));
        var runtime = dependencies["Streams.Generated"];
        Assert.Equal(packages.Version, runtime.Version);
        // NuGet's default for a project reference would exclude "Build,Analyzers": then a test project referencing only
        // this package would get no generator for its own topologies.
        Assert.DoesNotContain("Analyzers", runtime.Exclude, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Streams_Generated_Hosting_depends_on_the_same_Streams_Generated_and_the_hosting_abstractions()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("Streams.Generated.Hosting"));
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/Streams.Generated.Hosting.dll", files);
        Assert.Contains("lib/net10.0/Streams.Generated.Hosting.xml", files);
        Assert.Contains("README.md", files);

        var metadata = Nuspec(package, "Streams.Generated.Hosting");
        Assert.Equal("Apache-2.0", Text(metadata, "license"));
        var dependencies = Dependencies(metadata).ToDictionary(d => d.Id);
        Assert.Equal(["Microsoft.Extensions.Diagnostics.HealthChecks", "Microsoft.Extensions.Hosting.Abstractions", "Microsoft.Extensions.Options", "Streams.Generated"],
            dependencies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(packages.Version, dependencies["Streams.Generated"].Version);
        Assert.DoesNotContain("Analyzers", dependencies["Streams.Generated"].Exclude, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_project_referencing_the_packages_gets_the_generated_topology_and_runs_it()
    {
        var project = packages.CreateProject("PackagedWordCount", outputType: "Exe",
            ("WordCount.cs", WordCountSource),
            ("Program.cs", """
                using PackagedWordCount;
                using Streams.Generated.Serialization;
                using Streams.Generated.Testing;

                var driver = new TopologyTestDriver(WordCount.Definition);
                var input = driver.CreateInputTopic(WordCount.Input, Serdes.String, Serdes.String);
                var output = driver.CreateOutputTopic(WordCount.Output, Serdes.String, Serdes.Int64);
                input.PipeInput("hello packaged kafka");
                input.PipeInput("hello kafka");
                foreach (var (word, count) in output.ReadKeyValuesToMap().OrderBy(p => p.Key, StringComparer.Ordinal))
                    Console.WriteLine($"count {word}={count}");
                Console.WriteLine(WordCount.Definition.Description);
                """));
        var bin = Path.Combine(project, "out");

        var build = packages.Dotnet($"build \"{project}\" -c Release -o \"{bin}\"");
        Assert.True(build.ExitCode == 0, "The project referencing the packages does not build:\n" + build.Output);

        // The generator and analyzers ran inside the compiler; nothing of Roslyn is deployed with the app.
        var deployed = Directory.GetFiles(bin).Select(Path.GetFileName).ToList();
        Assert.Contains("Streams.Generated.dll", deployed);
        Assert.Contains("Streams.Generated.Testing.dll", deployed);
        Assert.DoesNotContain(deployed, f => f!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
            || f.StartsWith("Streams.Generated.Generator", StringComparison.Ordinal)
            || f.StartsWith("Streams.Generated.Analyzers", StringComparison.Ordinal)
            || f.StartsWith("Streams.Generated.CodeFixes", StringComparison.Ordinal));

        var run = QuickstartAotTests.Run("dotnet", $"\"{Path.Combine(bin, "PackagedWordCount.dll")}\"", TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, "The app failed:\n" + run.Output);
        Assert.Equal(["count hello=2", "count kafka=2", "count packaged=1"],
            run.Output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("count ", StringComparison.Ordinal)));
        // The description the generator wrote: WordCount's two sub-topologies, cut at the repartition topic.
        Assert.Contains("Sub-topology: 1", run.Output);
        Assert.Contains("Counts-repartition", run.Output);
    }

    [Fact]
    public void A_broken_topology_in_a_project_referencing_the_packages_fails_its_build_with_SG0001()
    {
        var project = packages.CreateProject("PackagedBroken", outputType: "Library",
            ("WordCount.cs", WordCountSource),
            ("Broken.cs", """
                using Streams.Generated;

                namespace PackagedBroken;

                [Topology("broken")]
                public static partial class Broken
                {
                    [Processor(From = "broken-input")]
                    public class NotPartial
                    {
                        public void Process(string value) { }
                    }
                }
                """));

        var build = packages.Dotnet($"build \"{project}\" -c Release");

        Assert.True(build.ExitCode != 0, "The build of a broken topology succeeded:\n" + build.Output);
        // Exactly one error, the analyzer's, at the class name (line 9, column 18 of Broken.cs): the valid WordCount
        // beside it still compiled with its generated code.
        var errors = ErrorLine().Matches(build.Output).Select(m => m.Value).Distinct().ToList();
        Assert.True(errors.Count == 1, "Expected one error, got:\n" + string.Join("\n", errors) + "\n\n" + build.Output);
        Assert.Matches(@"Broken\.cs\(9,18\): error SG0001: Node class 'NotPartial' must be declared 'partial'", errors[0]);
    }

    private const string WordCountSource = """
        using Streams.Generated;

        namespace PackagedWordCount;

        [Topology("packaged-wordcount")]
        public static partial class WordCount
        {
            public const string Input = "text";
            public const string Output = "word-counts";

            [Processor(From = Input)]
            public partial class SplitWords
            {
                public void Process(string line)
                {
                    foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        Word(word, word);
                }

                [To(nameof(Counts))] private partial void Word(string key, string value);
            }

            [Count(From = nameof(SplitWords), Store = "counts", To = Output)]
            public partial class Counts;
        }
        """;

    // MSBuild prints each error twice (as it happens and in the summary), with the project after it.
    [GeneratedRegex(@"[^\s]*\(\d+,\d+\): error [A-Z]+\d+:[^\[\r\n]*")]
    private static partial Regex ErrorLine();

    /// <summary>The Microsoft.CodeAnalysis assemblies (and versions) an assembly in the package references.</summary>
    private static List<(string Name, Version Version)> RoslynReferences(ZipArchiveEntry entry)
    {
        using var image = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(image);
        image.Position = 0;
        using var pe = new PEReader(image);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (Name: metadata.GetString(reference.Name), reference.Version))
            .Where(reference => reference.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToList();
    }

    private static XElement Nuspec(ZipArchive package, string id)
    {
        using var stream = package.GetEntry(id + ".nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return StripNamespace(metadata);
    }

    private static string? Text(XElement metadata, string name) => metadata.Element(name)?.Value;

    private static IEnumerable<(string Id, string Version, string Exclude)> Dependencies(XElement metadata) =>
        metadata.Descendants("dependency").Select(d =>
            (d.Attribute("id")!.Value, d.Attribute("version")!.Value, d.Attribute("exclude")?.Value ?? ""));

    private static XElement StripNamespace(XElement element) =>
        new(element.Name.LocalName, element.Attributes().Where(a => !a.IsNamespaceDeclaration),
            element.Nodes().Select(n => n is XElement child ? StripNamespace(child) : n));
}

/// <summary>
/// Packs Streams.Generated and Streams.Generated.Testing once for <see cref="PackageTests"/>, as a release would, into a
/// temporary folder feed, with a version no earlier run used (so no NuGet cache can serve a stale copy). The build goes
/// to its own artifacts folder, so it never races with the repository's own build or the AOT test's publish. Dispose
/// deletes the folder and the two packages that restores extracted into the global packages folder.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(5);

    public PackedPackages()
    {
        Root = Path.Combine(Path.GetTempPath(), "streams-generated-packages-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "feed");
        // A SemVer pre-release no other run has: NuGet caches packages by id and version.
        Version = "0.0.0-test.t" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Feed);

        var repository = QuickstartAotTests.RepositoryRoot();
        var artifacts = Path.Combine(Root, "artifacts");
        foreach (var project in new[]
        {
            "src/Streams.Generated/Streams.Generated.csproj",
            "src/Streams.Generated.Testing/Streams.Generated.Testing.csproj",
            "src/Streams.Generated.Hosting/Streams.Generated.Hosting.csproj",
        })
        {
            var pack = Dotnet($"pack \"{Path.Combine(repository, project)}\" -c Release -o \"{Feed}\" -p:Version={Version} --artifacts-path \"{artifacts}\"");
            if (pack.ExitCode != 0)
                throw new InvalidOperationException($"dotnet pack {project} failed:\n{pack.Output}");
        }
    }

    /// <summary>Temporary folder holding the feed, the pack's artifacts and the test projects.</summary>
    public string Root { get; }

    /// <summary>The local feed the packages were packed into.</summary>
    public string Feed { get; }

    /// <summary>The version the packages were packed with.</summary>
    public string Version { get; }

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>
    /// Writes a project that references both packages, as a user's project would: its own folder outside the repository
    /// (empty Directory.Build.props/.targets and Directory.Packages.props stop MSBuild from looking further up), nullable
    /// and warnings as errors on, and a nuget.config that adds the local feed to the sources the machine already uses.
    /// Returns the project folder.
    /// </summary>
    public string CreateProject(string name, string outputType, params (string Path, string Text)[] files)
    {
        var folder = Path.Combine(Root, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Streams.Generated" Version="{Version}" />
                <PackageReference Include="Streams.Generated.Testing" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="streams-generated-under-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        foreach (var isolation in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(folder, isolation), "<Project />\n");
        foreach (var (path, text) in files)
            File.WriteAllText(Path.Combine(folder, path), text);
        return folder;
    }

    /// <summary>
    /// Runs the dotnet CLI without build servers (a server left running would hold the output pipe open) and with the
    /// plain console logger, whose error lines the tests read.
    /// </summary>
    public (int ExitCode, string Output) Dotnet(string arguments) =>
        QuickstartAotTests.Run("dotnet", arguments + " --disable-build-servers -tl:off -nologo", DotnetTimeout);

    public void Dispose()
    {
        // Restores extracted the packages into the global packages folder (ids and versions are lower-case there).
        var locals = QuickstartAotTests.Run("dotnet", "nuget locals global-packages --list", TimeSpan.FromMinutes(1));
        var match = Regex.Match(locals.Output, @"global-packages:\s*(\S.*?)\s*$", RegexOptions.Multiline);
        if (locals.ExitCode == 0 && match.Success)
        {
            foreach (var id in new[] { "streams.generated", "streams.generated.testing" })
            {
                var folder = Path.Combine(match.Groups[1].Value, id);
                DeleteDirectory(Path.Combine(folder, Version.ToLowerInvariant()));
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            }
        }
        DeleteDirectory(Root);
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}

/// <summary>
/// Tests that run the .NET SDK (pack, build, AOT publish) are CPU-heavy for minutes on a 2-core machine: they run one
/// after the other, not beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SdkProcessesCollection
{
    public const string Name = "dotnet SDK processes";
}
