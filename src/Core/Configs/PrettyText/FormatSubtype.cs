#nullable enable
namespace InitCfg.Core.Configs.PrettyText;

/// <summary>The token subtypes of yapf's subtype_assigner that MMEngine's pretty text can carry.</summary>
internal enum FormatSubtype
{
    UnaryOperator,
    DefaultOrNamedAssign,
    DefaultOrNamedAssignArgList,
    AssignOperator,
    DictionaryKey,
    DictionaryKeyPart,
    DictionaryValue,
}
