using System.Text.Json;
using InitCfg.Core.Configs;

namespace InitCfg.Core.Tests.Walk;

/// <summary>
/// A Llama-shaped model config (Hugging Face's names: embed_tokens, layers.N.self_attn.q_proj/k_proj/v_proj/o_proj,
/// layers.N.mlp.gate_proj/up_proj/down_proj, two LayerNorms a block, norm, lm_head). Shared with the bench (linked).
/// </summary>
internal static class LlamaConfig
{
    /// <summary>The config tree; <paramref name="qBias"/> gives q_proj a bias, <paramref name="normBias"/> the norms one.</summary>
    public static object Build(int hidden, int inter, int layers, int vocab, bool qBias = false, bool normBias = true)
    {
        object Linear(int i, int o, bool bias = false) => new { type = "Linear", in_features = i, out_features = o, bias };
        object Norm() => new { type = "LayerNorm", normalized_shape = hidden, bias = normBias };
        var blocks = Enumerable.Range(0, layers).Select(_ => new
        {
            type = "Module", class_name = "LlamaDecoderLayer",
            modules = new Dictionary<string, object>
            {
                ["self_attn"] = new { type = "Module", class_name = "LlamaAttention", modules = new Dictionary<string, object>
                    { ["q_proj"] = Linear(hidden, hidden, qBias), ["k_proj"] = Linear(hidden, hidden), ["v_proj"] = Linear(hidden, hidden), ["o_proj"] = Linear(hidden, hidden) } },
                ["mlp"] = new { type = "Module", class_name = "LlamaMLP", modules = new Dictionary<string, object>
                    { ["gate_proj"] = Linear(hidden, inter), ["up_proj"] = Linear(hidden, inter), ["down_proj"] = Linear(inter, hidden) } },
                ["input_layernorm"] = Norm(), ["post_attention_layernorm"] = Norm(),
            },
        }).ToArray();
        return ConfigReader.FromJson(JsonSerializer.Serialize(new
        {
            type = "Module", class_name = "LlamaForCausalLM",
            modules = new Dictionary<string, object>
            {
                ["embed_tokens"] = new { type = "Embedding", num_embeddings = vocab, embedding_dim = hidden },
                ["layers"] = new { type = "ModuleList", modules = blocks },
                ["norm"] = Norm(),
                ["lm_head"] = Linear(hidden, vocab),
            },
        }), ConfigPath.Root("model"))!;
    }
}
