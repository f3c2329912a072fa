using InitCfg.Core.Configs;
using InitCfg.Core.Errors;

namespace InitCfg.Core.Tests.Configs;

public class ConfigKeyPathTests
{
    private static readonly object Tree = ConfigReader.FromJson("""{"model": {"type": "Net", "heads": [{"k": 1}, {"k": 2}]}}""", ConfigPath.Empty)!;

    [Theory]
    [InlineData("model.type", "Net")]
    [InlineData("model.heads[1].k", 2L)]
    [InlineData("model.heads[-1].k", 2L)]
    public void Select_DottedKey_ReturnsTheValue(string key, object expected) =>
        Assert.Equal(expected, ConfigKeyPath.Select(Tree, key, "test"));

    [Theory]
    [InlineData("model.tpye", "Did you mean 'type'")]
    [InlineData("model.heads[5]", "a list of 2")]
    [InlineData("model.type.x", "not a dict")]
    public void Select_MissingKey_IsConfigKeyNotFoundWithAHint(string key, string fragment)
    {
        var e = Assert.Throws<InitCfgException>(() => ConfigKeyPath.Select(Tree, key, "test"));
        Assert.Equal(ErrorIds.ConfigKeyNotFound, e.ErrorId);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void List_Tree_GivesEveryDottedKeyOfItsDicts() =>
        Assert.Equal(new[] { "model", "model.type", "model.heads" }, ConfigKeyPath.List(Tree));
}
