package golang

import (
	"go/ast"
	"regexp"
)

// Untrusted text in a model's instructions: a file's content, a fetched
// page, a program's output or an MCP tool's result placed into the system
// prompt. A file in a cloned project or a page the agent fetched then steers
// the model with the authority of its instructions (prompt injection).

// untrustedTextSources name the calls whose result is text nobody reviewed:
// file reads, whole-body reads (a fetched page), a program's captured
// output, an MCP tool call's result.
var untrustedTextSources = set("os.ReadFile", "io.ReadAll", "io/ioutil.ReadAll", "io/ioutil.ReadFile", "io/fs.ReadFile")

var untrustedTextMethods = set("CallTool", "Output", "CombinedOutput", "ReadResource")

func (s *fileScan) untrustedText(call *ast.CallExpr) bool {
	pkg, name := s.callee(call)
	if pkg != "" {
		return untrustedTextSources[pkg+"."+name]
	}
	return untrustedTextMethods[name] && s.recv(call) != nil
}

// instructionSlots are the fields and calls that hold a model's
// instructions: SystemPrompt, SystemInstruction, Instructions, Preamble,
// WithSystemPrompt(...), NewSystemMessage(...).
var instructionSlots = regexp.MustCompile(`^(Set|With|Add|Append|New)?(System(Prompt|Message|Instruction)s?|Instructions|Preamble)(Prefix|Suffix)?$`)

func (s *fileScan) instructionField(kv *ast.KeyValueExpr) {
	if id, ok := kv.Key.(*ast.Ident); ok && instructionSlots.MatchString(id.Name) {
		s.intoInstructions(kv, kv.Value, id.Name)
	}
}

func (s *fileScan) instructionAssign(as *ast.AssignStmt) {
	if len(as.Lhs) != len(as.Rhs) {
		return
	}
	for i, l := range as.Lhs {
		var name string
		switch x := l.(type) {
		case *ast.SelectorExpr:
			name = x.Sel.Name
		case *ast.Ident:
			name = x.Name
		}
		if name != "" && instructionSlots.MatchString(name) {
			s.intoInstructions(as, as.Rhs[i], name)
		}
	}
}

func (s *fileScan) instructionCall(call *ast.CallExpr, name string) {
	if !instructionSlots.MatchString(name) {
		return
	}
	for _, a := range call.Args {
		if s.intoInstructions(call, a, name) {
			return
		}
	}
}

func (s *fileScan) intoInstructions(n ast.Node, value ast.Expr, slot string) bool {
	if s.taintOf(value)&(taintText|taintTool) == 0 {
		return false
	}
	h := s.add(n, "data", "go/llm-instructions-untrusted", "high",
		"puts untrusted text (a file, fetched content, a tool's or a program's output) into the model's instructions ("+slot+"): it can steer the model", "llm-instructions")
	if c, ok := n.(*ast.CallExpr); ok {
		h.line, h.end = s.head(c)
	}
	return true
}
