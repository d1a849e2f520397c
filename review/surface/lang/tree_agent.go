package lang

import (
	"regexp"
	"strings"

	"github.com/vouch-review/vouch/review/surface/syntax"
)

// Agent-era surfaces on the syntax tree: tools a model can call, defined
// through an SDK (Vercel AI's tool(), LangChain's, OpenAI Agents') or a
// project's own wrapper (defineTool({ schema, handle })), and code a model
// supplied run in a browser page.

var (
	// toolCallee is a function whose name says it defines a tool.
	toolCallee = regexp.MustCompile(`(?i)^(?:define|create|make|register|build|new)?\w*tool$`)
	// toolHandlerKey and toolSchemaKey are the keys every tool definition
	// has: what runs, and the arguments the model fills in.
	toolHandlerKey = regexp.MustCompile(`(?:^|[\s,{(])(?:async\s+)?(?:handle|handler|execute|run|invoke|call|func|fn|callback)\s*(?::|\()`)
	toolSchemaKey  = regexp.MustCompile(`(?:^|[\s,{])(?:inputSchema|input_schema|parameters|argsSchema|schema|args)\s*:`)
	// toolKeyBefore names a tool by where it is put: weather: tool({…}),
	// const weather = tool({…}).
	toolKeyBefore = regexp.MustCompile(`(\w+)['"]?\s*(?::|=)\s*(?:await\s+)?$`)
	toolSDKs      = []string{"ai", "@langchain/core/tools", "langchain/tools", "@openai/agents", "@mastra/core/tools", "@mastra/core", "llamaindex"}
	toolClasses   = wordSet("DynamicStructuredTool", "DynamicTool", "StructuredTool", "FunctionTool")
	// fromToolArgs is a value taken from a tool call's (or a request's)
	// arguments.
	fromToolArgs = regexp.MustCompile(`\b(?:params|args|input|tool_?[iI]nput|tool_?[aA]rgs|arguments|request\.params)\s*(?:\??\.\s*\w+|\[)`)
	pageEvalFns  = wordSet("evaluate", "evaluateHandle", "addInitScript", "addScriptTag", "evaluateOnNewDocument")
)

// maxToolSpan bounds how much of a call is read for a tool's keys.
const maxToolSpan = 32 << 10

// jsToolDef is the name of the tool a call defines, "" when it defines
// none. A definition is an object with both a handler and an argument
// schema, passed to an SDK's tool() or to a function whose name says tool.
func jsToolDef(c *syntax.Call, f *syntax.File) string {
	if len(c.Args) == 0 || !strings.HasPrefix(strings.TrimSpace(c.Args[0].Text), "{") {
		return "" // registerTool("name", {…}, handler) is an MCP tool of its own rule
	}
	fn := lastPart(c.Callee)
	if c.New && !toolClasses[fn] || !c.New && !toolCallee.MatchString(fn) {
		return ""
	}
	if c.End > len(f.Src) || c.Start >= c.End {
		return ""
	}
	body := f.Src[c.Start:min(c.End, c.Start+maxToolSpan)]
	if !toolSchemaKey.Match(body) || !toolHandlerKey.Match(body) {
		return ""
	}
	if m := nameProp.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	if m := toolKeyBefore.FindSubmatch(f.Src[max(0, c.Start-200):c.Start]); m != nil {
		return string(m[1])
	}
	return fn
}

var jsAgentTreeRules = []treeRule{
	{id: "js/llm-tool", cat: "entry-point", sev: "medium", token: "llm-tool", notInTests: true,
		text: "new tool a model can call: {m} (its arguments are the model's to choose)",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			n := jsToolDef(c, f)
			return n, n != ""
		},
		conf: func(c *syntax.Call, _ *options) string {
			for _, m := range toolSDKs {
				if c.Module == m {
					return "high"
				}
			}
			return "medium"
		},
		ident: func(c *syntax.Call, f *syntax.File) string { return "tool " + jsToolDef(c, f) }},
	{id: "js/page-eval-input", cat: "exec", sev: "high", token: "page-evaluate", notInTests: true,
		text: "runs code taken from {m} in the browser page",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			if c.New || !strings.Contains(c.Callee, ".") || !pageEvalFns[lastPart(c.Callee)] || len(c.Args) == 0 {
				return "", false
			}
			a := strings.TrimSpace(c.Args[0].Text)
			if c.Args[0].IsStr || strings.HasPrefix(a, "(") || strings.HasPrefix(a, "function") || strings.HasPrefix(a, "async") || strings.HasPrefix(a, "`") {
				return "", false // code the program wrote
			}
			if m := fromToolArgs.FindString(a); m != "" {
				return strings.TrimSpace(m), true
			}
			return "", false
		}},
}
