using InitCfg.Core.Checkpoints.Sharding;

namespace InitCfg.Core.Tests.Checkpoints.Sharding;

public sealed class ShardPlanTests
{
    [Fact]
    public void Split_HuggingFaceReferenceCase_CutsAsHuggingFaceHub()
    {
        // huggingface_hub's tests/test_serialization.py test_multiple_shards: sizes 6, 10, 30, 2, 2 at a limit of 10.
        var plan = ShardPlan.Split(new long[] { 6, 10, 30, 2, 2 }, 10);

        Assert.Equal(new[] { new[] { 0 }, new[] { 2 }, new[] { 1 }, new[] { 3, 4 } }, plan.Shards.Select(s => s.ToArray()));
        Assert.Equal(new[]
        {
            "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
            "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors",
        }, plan.Names);
        Assert.Equal(50, plan.TotalSize);
        Assert.True(plan.IsSharded);
    }

    [Fact]
    public void Split_EverythingFits_OneModelSafetensors()
    {
        var plan = ShardPlan.Split(new long[] { 6, 10, 30, 2, 2 }, 50);

        Assert.False(plan.IsSharded);
        Assert.Equal(new[] { ShardPlan.SingleFileName }, plan.Names);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, plan.Shards[0]);
    }

    [Fact]
    public void Split_NoTensors_OneEmptyShard()
    {
        var plan = ShardPlan.Split(Array.Empty<long>(), 10);

        Assert.Single(plan.Shards);
        Assert.Empty(plan.Shards[0]);
        Assert.Equal(0, plan.TotalSize);
    }

    [Fact]
    public void Split_ExactFit_StaysInOneShard()
    {
        var plan = ShardPlan.Split(new long[] { 4, 6, 4, 6 }, 10);

        Assert.Equal(new[] { new[] { 0, 1 }, new[] { 2, 3 } }, plan.Shards.Select(s => s.ToArray()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Split_NonPositiveLimit_Throws(long limit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.Split(new long[] { 1 }, limit));

    [Fact]
    public void ShardName_IsFiveDigitsOneBased() =>
        Assert.Equal("model-00010-of-00123.safetensors", ShardPlan.ShardName(9, 123));
}
