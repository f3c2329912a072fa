#nullable enable
using System.Text;

namespace InitCfg.Core.Configs.PrettyText;

/// <summary>
/// yapf 0.32's reformatter for one logical line: kept on one line when it fits and nothing forces a break, otherwise
/// the cheapest layout found by yapf's search (Dijkstra over <see cref="DecisionState"/>s, ties broken by the order
/// states were queued, the stack ignored in comparisons after 10,000 states, as yapf does).
/// </summary>
internal static class LineReflow
{
    private const int StackComparisonLimit = 10000;

    private sealed record Step(DecisionState State, bool Newline, Step? Previous);

    /// <summary>The text of the line, laid out as yapf lays it out; lines joined by '\n', no final newline.</summary>
    public static string Format(LogicalLine line)
    {
        var newlines = new bool[line.Tokens.Count];
        var spaces = new int[line.Tokens.Count];
        var initial = new DecisionState(line, 0);
        initial.AddFirstToken();
        if (line.Last.TotalLength <= DecisionState.ColumnLimit && !line.Tokens.Any(t => t.MustBreakBefore))
        {
            for (int i = 1; i < line.Tokens.Count; i++) initial.AddTokenToState(false, false, out spaces[i]);
        }
        else
        {
            var path = Search(initial) ?? throw new InvalidOperationException("no layout found for a config line");
            var state = initial;
            foreach (var step in path)
            {
                int index = state.NextToken!.Index;
                newlines[index] = step.Newline;
                state.AddTokenToState(step.Newline, false, out spaces[index]);
            }
        }
        var sb = new StringBuilder();
        for (int i = 0; i < line.Tokens.Count; i++)
        {
            if (i > 0) sb.Append(newlines[i] ? "\n" : "").Append(' ', spaces[i]);
            sb.Append(line.Tokens[i].Value);
        }
        return sb.ToString();
    }

    private static List<Step>? Search(DecisionState initial)
    {
        int count = 0;
        var seen = new Dictionary<int, List<DecisionState>>();
        var queue = new PriorityQueue<Step, (long Penalty, int Count)>();
        queue.Enqueue(new Step(initial, false, null), (0, count));
        count++;
        Step? done = null;
        while (queue.TryPeek(out var step, out var priority))
        {
            if (step.State.NextToken is null) { done = step; break; }
            queue.Dequeue();
            if (count > StackComparisonLimit) step.State.IgnoreStackForComparison = true;
            if (!Add(seen, step.State)) continue;
            // MustSplit once for both choices: yapf asks twice, and the second answer is the first.
            bool mustSplit = step.State.MustSplit();
            count = Enqueue(priority.Penalty, step, false, mustSplit, count, queue);
            count = Enqueue(priority.Penalty, step, true, mustSplit, count, queue);
        }
        if (done is null) return null;
        var path = new List<Step>();
        for (var s = done; s.Previous is not null; s = s.Previous) path.Add(s);
        path.Reverse();
        return path;
    }

    private static bool Add(Dictionary<int, List<DecisionState>> seen, DecisionState state)
    {
        if (!seen.TryGetValue(state.Hash, out var bucket)) seen[state.Hash] = bucket = new List<DecisionState>();
        if (bucket.Any(s => s.SameAs(state))) return false;
        bucket.Add(state);
        return true;
    }

    private static int Enqueue(long penalty, Step previous, bool newline, bool mustSplit, int count, PriorityQueue<Step, (long, int)> queue)
    {
        if (newline && !previous.State.CanSplit(mustSplit)) return count;
        if (!newline && mustSplit) return count;
        var state = previous.State.Clone();
        penalty += state.AddTokenToState(newline, mustSplit, out _);
        queue.Enqueue(new Step(state, newline, previous), (penalty, count));
        return count + 1;
    }
}
