using InitCfg.Core.Checkpoints;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Checkpoints;

public sealed class CheckpointLocatorTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _cache;
    private readonly CheckpointLocator _locator;

    public CheckpointLocatorTests()
    {
        _cache = Directory.CreateDirectory(_dir.File("hub")).FullName;
        _locator = new CheckpointLocator(_cache, _dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    private string Put(string name)
    {
        var path = Path.Combine(_cache, name);
        File.WriteAllText(path, "x");
        return path;
    }

    private InitCfgException Fails(string checkpoint) =>
        Assert.Throws<InitCfgException>(() => _locator.Resolve(checkpoint, "init_cfg[0].checkpoint"));

    [Theory]
    [InlineData("resnet18", "resnet18-f37072fd.pth")]
    [InlineData("resnet34", "resnet34-b627a593.pth")]
    [InlineData("resnet50", "resnet50-0676ba61.pth")]
    [InlineData("resnet101", "resnet101-63fe2227.pth")]
    [InlineData("resnet152", "resnet152-394f9c45.pth")]
    public void Resolve_TorchvisionResnet_FindsTorchvisionFileName(string name, string file) =>
        Assert.Equal(Put(file), _locator.Resolve("torchvision://" + name, "c"));

    [Fact]
    public void Resolve_TorchvisionMissing_NamesTheExactExpectedPath()
    {
        var e = Fails("torchvision://resnet50");
        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Equal("init_cfg[0].checkpoint", e.ConfigPath);
        Assert.Contains($"'{Path.Combine(_cache, "resnet50-0676ba61.pth")}'", e.Message);
        Assert.Contains("INITCFG_CHECKPOINT_DIR", e.Message);
    }

    [Fact]
    public void Resolve_TorchvisionOtherModel_FindsNameDashHash() =>
        Assert.Equal(Put("mobilenet_v2-b0353104.pth"), _locator.Resolve("torchvision://mobilenet_v2", "c"));

    [Fact]
    public void Resolve_TorchvisionPlainName_FindsNamePth() =>
        Assert.Equal(Put("my_net.pth"), _locator.Resolve("torchvision://my_net", "c"));

    [Fact]
    public void Resolve_OpenMmlab_FindsNameOrNameDashHash()
    {
        Assert.Equal(Put("resnet50_caffe-788b5fa3.pth"), _locator.Resolve("open-mmlab://resnet50_caffe", "c"));
        Assert.Equal(Put("detectron2_resnet50_caffe.pth"), _locator.Resolve("open-mmlab://detectron2_resnet50_caffe", "c"));
    }

    [Fact]
    public void Resolve_OpenMmlabMissing_NamesExpectedPath() =>
        Assert.Contains(Path.Combine(_cache, "resnet50_caffe.pth"), Fails("open-mmlab://resnet50_caffe").Message);

    [Theory]
    [InlineData("https://download.pytorch.org/models/resnet18-f37072fd.pth")]
    [InlineData("http://example.com/a/b/resnet18-f37072fd.pth?raw=true#x")]
    public void Resolve_HttpUri_FindsLastPathSegment(string uri) =>
        Assert.Equal(Put("resnet18-f37072fd.pth"), _locator.Resolve(uri, "c"));

    [Fact]
    public void Resolve_HttpMissing_NamesExpectedPathAndNoNetwork()
    {
        var e = Fails("https://download.openmmlab.com/mmdetection/v2.0/retinanet/retinanet_r50_fpn_1x_coco_20200130-c2398f9e.pth");
        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Contains(Path.Combine(_cache, "retinanet_r50_fpn_1x_coco_20200130-c2398f9e.pth"), e.Message);
        Assert.Contains("no network", e.Message);
    }

    [Theory]
    [InlineData("torchvision://../x")]
    [InlineData("torchvision://../../etc/passwd")]
    [InlineData("open-mmlab://a/b")]
    [InlineData("open-mmlab://..")]
    [InlineData("torchvision:///etc/passwd")]
    [InlineData("torchvision://a\\..\\b")]
    [InlineData("https://example.com/")]
    public void Resolve_NameThatIsNotAPlainFile_IsRefused(string uri)
    {
        File.WriteAllText(_dir.File("x.pth"), "outside");
        var e = Fails(uri);
        Assert.Equal(ErrorIds.CheckpointPathEscapes, e.ErrorId);
        Assert.Equal(ErrorKind.Security, e.Kind);
    }

    [Fact]
    public void Resolve_SymlinkLeadingOutOfTheFolder_IsRefused()
    {
        var outside = _dir.File("secret.pth");
        File.WriteAllText(outside, "outside");
        File.CreateSymbolicLink(Path.Combine(_cache, "resnet18-f37072fd.pth"), outside);
        var e = Fails("torchvision://resnet18");
        Assert.Equal(ErrorIds.CheckpointPathEscapes, e.ErrorId);
        Assert.Contains(outside, e.Message);
    }

    [Fact]
    public void Resolve_SymlinkChainLeadingOut_IsRefused()
    {
        var outside = _dir.File("secret.pth");
        File.WriteAllText(outside, "outside");
        var hop = Path.Combine(_cache, "hop.pth");
        File.CreateSymbolicLink(hop, outside);
        File.CreateSymbolicLink(Path.Combine(_cache, "chain.pth"), hop);
        Assert.Equal(ErrorIds.CheckpointPathEscapes, Fails("open-mmlab://chain").ErrorId);
    }

    [Fact]
    public void Resolve_SymlinkInsideTheFolder_IsFollowed()
    {
        var real = Put("real-1234.pth");
        File.CreateSymbolicLink(Path.Combine(_cache, "alias.pth"), real);
        Assert.Equal(real, _locator.Resolve("open-mmlab://alias", "c"));
    }

    [Fact]
    public void Resolve_CacheFolderItselfASymlink_Works()
    {
        var linked = _dir.File("linked-hub");
        Directory.CreateSymbolicLink(linked, _cache);
        Put("resnet18-f37072fd.pth");
        var file = new CheckpointLocator(linked, _dir.Path).Resolve("torchvision://resnet18", "c");
        Assert.True(File.Exists(file));
    }

    [Fact]
    public void Resolve_UnsupportedScheme_IsNotFoundNamingTheScheme()
    {
        var e = Fails("s3://bucket/model.pth");
        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Contains("s3://", e.Message);
    }

    [Fact]
    public void Resolve_RelativePath_ResolvesAgainstBaseFolder()
    {
        var file = _dir.File("local.pth");
        File.WriteAllText(file, "x");
        Assert.Equal(file, _locator.Resolve("local.pth", "c"));
        Assert.Equal(file, _locator.Resolve("./hub/../local.pth", "c"));
    }

    [Fact]
    public void Resolve_MissingLocalPath_NamesFullPath()
    {
        var e = Fails("weights/none.pth");
        Assert.Equal(ErrorIds.CheckpointNotFound, e.ErrorId);
        Assert.Contains(Path.Combine(_dir.Path, "weights", "none.pth"), e.Message);
    }

    [Fact]
    public void DefaultCacheDirectory_FollowsInitcfgThenTorchHomeThenXdgThenHome()
    {
        var saved = new[] { "INITCFG_CHECKPOINT_DIR", "TORCH_HOME", "XDG_CACHE_HOME" }.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("INITCFG_CHECKPOINT_DIR", null);
            Environment.SetEnvironmentVariable("TORCH_HOME", null);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "torch", "hub", "checkpoints"), CheckpointLocator.DefaultCacheDirectory());

            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/xdg");
            Assert.Equal(Path.Combine("/xdg", "torch", "hub", "checkpoints"), CheckpointLocator.DefaultCacheDirectory());

            Environment.SetEnvironmentVariable("TORCH_HOME", "/th");
            Assert.Equal(Path.Combine("/th", "hub", "checkpoints"), CheckpointLocator.DefaultCacheDirectory());

            Environment.SetEnvironmentVariable("INITCFG_CHECKPOINT_DIR", _cache);
            Assert.Equal(_cache, CheckpointLocator.DefaultCacheDirectory());
            Assert.Equal(_cache, new CheckpointLocator().CacheDirectory);
        }
        finally
        {
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }
    }
}
