#nullable enable
using InitCfg.Core.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace InitCfg.Core.Transformer;

/// <summary>
/// PyTorch 1.13's <c>F.multi_head_attention_forward</c> (its reference path, not the fused fast path), step for step,
/// so outputs equal PyTorch's within float rounding. libtorch's own version is not reachable with PyTorch's
/// parameter layout from TorchSharp.
/// </summary>
public static class AttentionFunctional
{
    /// <summary>
    /// Attention over (L, N, E) query and (S, N, E) key/value (or unbatched (L, E), (S, E)); returns the output and,
    /// when <paramref name="needWeights"/>, the attention weights (averaged over heads when <paramref name="averageWeights"/>).
    /// </summary>
    public static (Tensor Output, Tensor? Weights) MultiHeadAttentionForward(Tensor query, Tensor key, Tensor value, long numHeads,
        Tensor? inProjWeight, Tensor? inProjBias, Tensor? biasK, Tensor? biasV, bool addZeroAttn, double dropoutP,
        Tensor outProjWeight, Tensor? outProjBias, Tensor? keyPaddingMask = null, bool needWeights = true, Tensor? attnMask = null,
        Tensor? qProjWeight = null, Tensor? kProjWeight = null, Tensor? vProjWeight = null, bool averageWeights = true)
    {
        // Every intermediate is held by the scope until the results move out: a temporary's wrapper that nothing
        // references can be finalized while libtorch still reads it.
        using var scope = NewDisposeScope();
        bool batched = query.dim() == 3;
        if (query.dim() is not (2 or 3) || key.dim() != query.dim() || value.dim() != query.dim())
            throw Bad($"query, key and value must all be 3-d (batched) or 2-d (unbatched), but got {query.dim()}-d, {key.dim()}-d and {value.dim()}-d.");
        if (!batched)
        {
            query = query.unsqueeze(1);
            key = key.unsqueeze(1);
            value = value.unsqueeze(1);
            keyPaddingMask = keyPaddingMask?.unsqueeze(0);
        }
        long tgtLen = query.shape[0], bsz = query.shape[1], embedDim = query.shape[2];
        long expectedDim = outProjWeight.shape[1];
        if (embedDim != expectedDim) throw Bad($"was expecting embedding dimension of {expectedDim}, but got {embedDim}.");
        if (key.shape[1] != bsz || value.shape[0] != key.shape[0] || value.shape[1] != bsz)
            throw Bad($"key [{string.Join(", ", key.shape)}] and value [{string.Join(", ", value.shape)}] do not match query [{string.Join(", ", query.shape)}].");
        long headDim = embedDim / numHeads;

        Tensor q, k, v;
        if (inProjWeight is not null)
        {
            if (!key.shape.SequenceEqual(value.shape)) throw Bad($"key shape [{string.Join(", ", key.shape)}] does not match value shape [{string.Join(", ", value.shape)}].");
            var w = inProjWeight.chunk(3);
            var b = inProjBias?.chunk(3);
            // PyTorch packs the projection into one linear when query, key and value are one tensor; the result is the same.
            q = nn.functional.linear(query, w[0], b?[0]);
            k = nn.functional.linear(key, w[1], b?[1]);
            v = nn.functional.linear(value, w[2], b?[2]);
        }
        else
        {
            var b = inProjBias?.chunk(3);
            q = nn.functional.linear(query, qProjWeight!, b?[0]);
            k = nn.functional.linear(key, kProjWeight!, b?[1]);
            v = nn.functional.linear(value, vProjWeight!, b?[2]);
        }

        long srcLen = key.shape[0];
        if (attnMask is not null)
        {
            if (attnMask.dtype == ScalarType.Byte) attnMask = attnMask.to(ScalarType.Bool);
            else if (!attnMask.is_floating_point() && attnMask.dtype != ScalarType.Bool)
                throw Bad($"only float, byte and bool attn_mask are supported, not {attnMask.dtype}.");
            if (attnMask.dim() == 2)
            {
                if (attnMask.shape[0] != tgtLen || attnMask.shape[1] != srcLen)
                    throw Bad($"the 2-d attn_mask is [{string.Join(", ", attnMask.shape)}], but should be [{tgtLen}, {srcLen}].");
                attnMask = attnMask.unsqueeze(0);
            }
            else if (attnMask.dim() == 3)
            {
                if (attnMask.shape[0] != bsz * numHeads || attnMask.shape[1] != tgtLen || attnMask.shape[2] != srcLen)
                    throw Bad($"the 3-d attn_mask is [{string.Join(", ", attnMask.shape)}], but should be [{bsz * numHeads}, {tgtLen}, {srcLen}].");
            }
            else throw Bad($"attn_mask's dimension {attnMask.dim()} is not supported.");
        }
        if (keyPaddingMask is not null && keyPaddingMask.dtype != ScalarType.Bool && !keyPaddingMask.is_floating_point())
            throw Bad("only bool and floating types of key_padding_mask are supported.");

        if (biasK is not null && biasV is not null)
        {
            k = cat(new[] { k, biasK.repeat(1, bsz, 1) });
            v = cat(new[] { v, biasV.repeat(1, bsz, 1) });
            attnMask = attnMask is null ? null : nn.functional.pad(attnMask, new long[] { 0, 1 });
            keyPaddingMask = keyPaddingMask is null ? null : nn.functional.pad(keyPaddingMask, new long[] { 0, 1 });
        }

        q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
        k = k.contiguous().view(k.shape[0], bsz * numHeads, headDim).transpose(0, 1);
        v = v.contiguous().view(v.shape[0], bsz * numHeads, headDim).transpose(0, 1);

        if (addZeroAttn)
        {
            k = cat(new[] { k, zeros(new[] { bsz * numHeads, 1, headDim }, k.dtype, k.device) }, 1);
            v = cat(new[] { v, zeros(new[] { bsz * numHeads, 1, headDim }, v.dtype, v.device) }, 1);
            attnMask = attnMask is null ? null : nn.functional.pad(attnMask, new long[] { 0, 1 });
            keyPaddingMask = keyPaddingMask is null ? null : nn.functional.pad(keyPaddingMask, new long[] { 0, 1 });
        }
        srcLen = k.shape[1];

        // A Scalar the caller holds: a temporary one can be finalized while libtorch reads it (see TensorScalars).
        using Scalar negativeInfinity = float.NegativeInfinity;
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.shape[0] != bsz || keyPaddingMask.shape[1] != srcLen)
                throw Bad($"expecting key_padding_mask of shape [{bsz}, {srcLen}], but got [{string.Join(", ", keyPaddingMask.shape)}].");
            keyPaddingMask = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(bsz * numHeads, 1, srcLen);
            attnMask = attnMask is null ? keyPaddingMask
                : attnMask.dtype == ScalarType.Bool ? attnMask.logical_or(keyPaddingMask)
                : attnMask.masked_fill(keyPaddingMask, negativeInfinity);
        }
        if (attnMask is not null && attnMask.dtype == ScalarType.Bool)
        {
            var additive = zeros_like(attnMask, q.dtype);
            additive.masked_fill_(attnMask, negativeInfinity);
            attnMask = additive;
        }

        var qScaled = q / Math.Sqrt(q.shape[2]);
        // PyTorch: baddbmm(attn_mask, q, k^T). TorchSharp 0.107's baddbmm hands its operands to libtorch in the wrong
        // order (input becomes batch1), so the mask is added after the product: equal within float rounding.
        var scores = bmm(qScaled, k.transpose(-2, -1));
        if (attnMask is not null) scores = scores + attnMask;
        scores = nn.functional.softmax(scores, -1);
        if (dropoutP > 0.0) scores = nn.functional.dropout(scores, dropoutP);
        var output = bmm(scores, v);
        output = output.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
        output = nn.functional.linear(output, outProjWeight, outProjBias);
        output = output.view(tgtLen, bsz, output.shape[1]);

        Tensor? weights = null;
        if (needWeights)
        {
            weights = scores.view(bsz, numHeads, tgtLen, srcLen);
            if (averageWeights) weights = weights.sum(1) / numHeads;
            if (!batched) weights = weights.squeeze(0);
        }
        if (!batched) output = output.squeeze(1);
        GC.KeepAlive(query); GC.KeepAlive(key); GC.KeepAlive(value); GC.KeepAlive(keyPaddingMask); GC.KeepAlive(attnMask);
        return (scope.MoveToOuter(output), weights is null ? null : scope.MoveToOuter(weights));
    }

    private static InitCfgException Bad(string message) => new(ErrorIds.InvalidArgumentValue, null, "MultiheadAttention forward: " + message);
}
