using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;
using static TorchSharp.torch;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static KeyValuePair<string, Tensor>[] State() => new[]
    {
        new KeyValuePair<string, Tensor>("conv.weight", arange(24, dtype: ScalarType.Float32).reshape(2, 3, 2, 2)),
        new("bn.num_batches_tracked", tensor(5L)),
    };

    private string Written(string name, CheckpointFormat format)
    {
        var path = _dir.File(name);
        CheckpointFile.Write(path, State(), format, overwrite: false);
        return path;
    }

    private static void AssertState(NamedTensors read)
    {
        Assert.Equal(new[] { "conv.weight", "bn.num_batches_tracked" }, read.Items.Select(i => i.Key));
        Assert.Equal(23f, read.Items[0].Value.flatten()[23].item<float>());
        Assert.Equal(5L, read.Items[1].Value.item<long>());
    }

    [Theory]
    [InlineData(CheckpointFormat.PyTorch, "weights.safetensors")]
    [InlineData(CheckpointFormat.Safetensors, "weights.pth")]
    [InlineData(CheckpointFormat.TorchSharp, "weights.pt")]
    [InlineData(CheckpointFormat.PyTorch, "weights")]
    [InlineData(CheckpointFormat.Safetensors, "weights.dat")]
    public void Read_MisleadingExtension_ToldByContent(CheckpointFormat format, string name)
    {
        var path = Written(name, format);
        Assert.Equal(format, CheckpointFile.Sniff(path));
        using var read = CheckpointFile.Read(path);
        Assert.Equal(format, read.Format);
        AssertState(read);
    }

    [Fact]
    public void Read_RealTorchSaveFile_ReadsAsPyTorch()
    {
        var path = TorchSaveSamples.WriteTo(_dir.Path, "model.bin", TorchSaveSamples.BatchNorm);
        using var read = CheckpointFile.Read(path);
        Assert.Equal(CheckpointFormat.PyTorch, read.Format);
        Assert.Equal(5, read.Count);
    }

    [Fact]
    public void Read_MissingFile_IsCheckpointNotFoundNamingIt()
    {
        var path = _dir.File("nope.pth");
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Read(path));
        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_EmptyFile_IsUnreadable()
    {
        var path = TorchSaveSamples.WriteTo(_dir.Path, "empty.pth", Array.Empty<byte>());
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Read(path));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Read_LegacyPickle_IsUnreadableSayingSo()
    {
        var path = TorchSaveSamples.WriteTo(_dir.Path, "legacy.pth", new PickleBytes().Int(1).Stop().ToArray());
        Assert.Null(CheckpointFile.Sniff(path));
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Read(path));
        Assert.Equal(ErrorIds.CheckpointUnreadable, e.ErrorId);
        Assert.Contains("legacy", e.Message);
    }

    [Theory]
    [InlineData("hello, this is not a checkpoint\n")]
    [InlineData("model:\n  type: ResNet\n  depth: 50\n")]
    [InlineData("{\"type\": \"Kaiming\", \"layer\": \"Conv2d\"}")]
    public void Read_TextFile_IsUnreadable(string text)
    {
        var path = _dir.File("text.pth");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(text, 20)));
        Assert.Equal(ErrorIds.CheckpointUnreadable, Assert.Throws<InitCfgException>(() => CheckpointFile.Read(path)).ErrorId);
    }

    [Fact]
    public void Read_RandomBytes_IsUnreadable()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 3; // not a zip, not a pickle, not a safetensors header
        var path = TorchSaveSamples.WriteTo(_dir.Path, "noise.pth", bytes);
        Assert.Equal(ErrorIds.CheckpointUnreadable, Assert.Throws<InitCfgException>(() => CheckpointFile.Read(path)).ErrorId);
    }

    [Theory]
    [InlineData("a.pth", CheckpointFormat.PyTorch)]
    [InlineData("a.PT", CheckpointFormat.PyTorch)]
    [InlineData("a.safetensors", CheckpointFormat.Safetensors)]
    [InlineData("a.dat", CheckpointFormat.TorchSharp)]
    public void FormatOf_Extension_PicksFormat(string path, CheckpointFormat expected) =>
        Assert.Equal(expected, CheckpointFile.FormatOf(path));

    [Theory]
    [InlineData("a.onnx")]
    [InlineData("a")]
    public void FormatOf_UnknownExtension_IsUnsupportedFormat(string path) =>
        Assert.Equal(ErrorIds.UnsupportedFormat, Assert.Throws<InitCfgException>(() => CheckpointFile.FormatOf(path)).ErrorId);

    [Theory]
    [InlineData(CheckpointFormat.PyTorch)]
    [InlineData(CheckpointFormat.Safetensors)]
    [InlineData(CheckpointFormat.TorchSharp)]
    public void Write_Success_LeavesOnlyTheTarget(CheckpointFormat format)
    {
        Written("out.bin", format);
        Assert.Equal(new[] { "out.bin" }, Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ExistingTarget_RefusedAndUntouched()
    {
        var path = _dir.File("keep.pth");
        File.WriteAllText(path, "precious");
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: false));
        Assert.Equal(ErrorIds.ExportTargetExists, e.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, e.Kind);
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_Overwrite_ReplacesTarget()
    {
        var path = _dir.File("replace.safetensors");
        File.WriteAllText(path, "old");
        CheckpointFile.Write(path, State(), CheckpointFormat.Safetensors, overwrite: true);
        using var read = CheckpointFile.Read(path);
        AssertState(read);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_FailingMidway_LeavesNoTempFileAndKeepsTheOldTarget()
    {
        var path = _dir.File("target.pth");
        File.WriteAllText(path, "old");
        // A complex tensor cannot be written: the writer throws after the temp file was created.
        var state = new[] { new KeyValuePair<string, Tensor>("ok", ones(2)), new("bad", zeros(2, dtype: ScalarType.ComplexFloat32)) };
        Assert.ThrowsAny<Exception>(() => CheckpointFile.Write(path, state, CheckpointFormat.PyTorch, overwrite: true));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(new[] { "target.pth" }, Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_TargetIsADirectory_IsExportFailedAndLeavesNoTempFile()
    {
        var path = Directory.CreateDirectory(_dir.File("taken.pth")).FullName;
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: true));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_MissingFolder_IsExportFailed()
    {
        var path = Path.Combine(_dir.Path, "no", "such", "dir", "w.pth");
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: false));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
    }
    // ---- hostile export targets ----

    [Fact]
    public void Write_OverAFifo_IsRefusedAndTheFifoStays()
    {
        var fifo = _dir.File("pipe.pth");
        Assert.Equal(0, HostileCheckpointTests.Mkfifo(fifo));
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(fifo, State(), CheckpointFormat.PyTorch, overwrite: true));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
        Assert.Contains("FIFO", e.Message);
        Assert.Equal("a FIFO (named pipe)", InitCfg.Core.Files.RegularFile.NotRegular(fifo));
        Assert.Equal(new[] { "pipe.pth" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ThroughADanglingSymlink_IsRefusedAndTheLinkStays()
    {
        // Only an existing regular file is written through a link: a dangling one may point anywhere (a mount not
        // there yet, another user's folder), so nothing is created at its target.
        var link = _dir.File("dangling.pth");
        File.CreateSymbolicLink(link, _dir.File("gone.pth"));
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(link, State(), CheckpointFormat.PyTorch, overwrite: true));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
        Assert.Contains("does not exist", e.Message);
        Assert.Equal(new[] { "dangling.pth" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void Write_ThroughASymlinkLoop_IsExportFailedAndBothLinksStay()
    {
        var a = _dir.File("a.pth");
        var b = _dir.File("b.pth");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(a, State(), CheckpointFormat.PyTorch, overwrite: true));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
        Assert.Contains(a, e.Message);
        Assert.Equal(new[] { "a.pth", "b.pth" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Write_ThroughASymlinkToAFifo_IsRefusedAndBothStay()
    {
        // A link is written through only to a regular file: what it points to is checked as the path itself would be.
        var fifo = _dir.File("pipe");
        Assert.Equal(0, HostileCheckpointTests.Mkfifo(fifo));
        var link = _dir.File("link.pth");
        File.CreateSymbolicLink(link, fifo);
        var e = Assert.Throws<InitCfgException>(() => CheckpointFile.Write(link, State(), CheckpointFormat.PyTorch, overwrite: true));
        Assert.Equal(ErrorIds.ExportFailed, e.ErrorId);
        Assert.Contains("FIFO", e.Message);
        Assert.Equal(fifo, new FileInfo(link).LinkTarget);
        Assert.Equal("a FIFO (named pipe)", InitCfg.Core.Files.RegularFile.NotRegular(fifo));
        Assert.Equal(new[] { "link.pth", "pipe" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task OpenRead_Fifo_IsRefusedByTheOpenItselfWithoutBlocking()
    {
        // No look at the path comes before the open: a FIFO swapped in after any earlier check meets this same open,
        // which must return at once (a blocking open would hang the test rather than fail it).
        var fifo = _dir.File("swapped.pth");
        Assert.Equal(0, HostileCheckpointTests.Mkfifo(fifo));
        var open = Task.Run(() => InitCfg.Core.Files.RegularFile.OpenRead(fifo, what => new InvalidDataException(what)));
        Assert.True(await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(30))) == open, "the open blocked");
        var e = Assert.IsType<InvalidDataException>(open.Exception!.InnerException);
        Assert.Equal("a FIFO (named pipe)", e.Message);
    }

    [Fact]
    public void OpenRead_MissingFile_IsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => InitCfg.Core.Files.RegularFile.OpenRead(_dir.File("none.pth"), what => new InvalidDataException(what)));

    [Fact]
    public void Write_DeviceNode_IsRecognisedAsNotRegular() =>
        // The write itself is not tried on /dev/null: a bug here must not replace the system's device.
        Assert.Equal("a character device", InitCfg.Core.Files.RegularFile.NotRegular("/dev/null"));

    [Fact]
    public void Write_ThroughASymlink_ReplacesTheFileItPointsToAndKeepsTheLink()
    {
        var real = _dir.File("real.safetensors");
        File.WriteAllText(real, "old");
        var link = _dir.File("link.safetensors");
        File.CreateSymbolicLink(link, real);
        CheckpointFile.Write(link, State(), CheckpointFormat.Safetensors, overwrite: true);
        Assert.Equal(real, new FileInfo(link).ResolveLinkTarget(true)!.FullName);
        using var read = CheckpointFile.Read(real);
        AssertState(read);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Write_OverAPrivateFile_KeepsItsMode()
    {
        var path = _dir.File("private.pth");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: true);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Write_OverAnotherUsersFile_KeepsItsOwnerWhereTheCallerMay()
    {
        // Only root may give a file away: as root (CI), the replaced file keeps its owner instead of becoming root's.
        Skip.IfNot(Environment.UserName == "root" || InitCfg.Core.Files.RegularFile.Owner("/proc/self")?.Uid == 0, "needs root");
        var path = _dir.File("theirs.pth");
        File.WriteAllText(path, "old");
        Assert.True(InitCfg.Core.Files.RegularFile.TrySetOwner(path, 4321, 4322));
        CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: true);
        Assert.Equal((4321u, 4322u), InitCfg.Core.Files.RegularFile.Owner(path));
        using var read = CheckpointFile.Read(path);
        AssertState(read);
    }

    [Fact]
    public void Write_244CharacterName_Works()
    {
        var path = _dir.File(new string('w', 240) + ".pth");
        CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: false);
        using var read = CheckpointFile.Read(path);
        AssertState(read);
    }

    [Fact]
    public void Write_StalePartialOfTheSameTarget_IsRemoved()
    {
        var path = _dir.File("model.pth");
        var stale = _dir.File(".model.pth.4194305.abcdef.initcfg-partial"); // above Linux's pid_max: no such process
        var other = _dir.File(".other.pth.4194305.abcdef.initcfg-partial");
        File.WriteAllText(stale, "half");
        File.WriteAllText(other, "half");
        CheckpointFile.Write(path, State(), CheckpointFormat.PyTorch, overwrite: false);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other), "a partial of another target was removed");
    }
}
