package golang

import (
	"go/ast"
	"regexp"
	"strconv"
	"strings"
)

// Agent-era and command-line surfaces: CLI commands and flags (cobra,
// urfave/cli, the flag package), MCP servers and tools (the official Go SDK
// and mark3labs/mcp-go), and in-process shells and interpreters (mvdan.cc/sh,
// yaegi, goja, gopher-lua), which run code without os/exec.

// unsafeFlag names a flag that turns a safety off: --yolo,
// --dangerously-skip-permissions, --no-verify, --auto-approve.
var unsafeFlag = regexp.MustCompile(`(?i)^-*(yolo|dangerous|dangerously[-_].*|.*skip[-_]?(permissions?|approvals?|verify|verification|checks?|sandbox|confirm(ation)?s?)|no[-_]?(verify|sandbox|confirm|check|auth)|auto[-_]?(approve|accept|confirm)|allow[-_]?all|trust[-_]?all|insecure|bypass.*|disable[-_]?(sandbox|auth|tls|verification|safety|permissions?)|unsafe.*)$`)

func (s *fileScan) flagFinding(call ast.Node, flagName, via string) {
	rule, sev, msg := "go/cli-flag", "low", "new command-line flag --"+flagName+" ("+via+")"
	if unsafeFlag.MatchString(flagName) {
		rule, sev, msg = "go/cli-unsafe-flag", "high", "new command-line flag --"+flagName+" that turns a safety off ("+via+")"
	}
	h := s.add(call, "entry-point", rule, sev, msg, "cli-flag")
	h.key = rule + "\x00" + flagName
	if rule == "go/cli-flag" {
		// An ordinary flag is an entry point a reviewer rarely needs to
		// stop at: shown, but muted with the guesses.
		h.confidence = "low"
	}
	if c, ok := call.(*ast.CallExpr); ok {
		h.line, h.end = s.head(c)
	}
}

// flagMethods are the flag constructors of the flag package and of pflag
// (cobra's FlagSet): the flag's name is their first string argument.
var flagMethods = regexp.MustCompile(`^(Bool|String|Int|Int64|Uint|Uint64|Float64|Duration|Func|Var|TextVar|StringSlice|StringArray|IntSlice|StringToString|Count)(Var)?P?$`)

func (s *fileScan) agentCall(call *ast.CallExpr, pkg, name, full string) bool {
	switch {
	case pkg == "flag" && flagMethods.MatchString(name):
		if n := firstString(call.Args); n != "" {
			s.flagFinding(call, n, "flag."+name)
			return true
		}
	case pkg == "" && flagMethods.MatchString(name) && s.importedPrefix("github.com/spf13/cobra", "github.com/spf13/pflag") && s.onFlagSet(call):
		if n := firstString(call.Args); n != "" {
			s.flagFinding(call, n, s.short(call.Fun))
			return true
		}
	case strings.HasPrefix(pkg, "github.com/modelcontextprotocol/go-sdk/mcp") && (name == "AddTool" || name == "NewServer"),
		strings.HasPrefix(pkg, "github.com/mark3labs/mcp-go/server") && name == "NewMCPServer",
		pkg == "" && (name == "AddTool" || name == "AddTools") && s.importedPrefix("github.com/modelcontextprotocol/go-sdk/", "github.com/mark3labs/mcp-go/"):
		what, rule := "registers an MCP tool", "go/mcp-tool"
		if strings.Contains(name, "Server") {
			what, rule = "new MCP server", "go/mcp-server"
		}
		if t := s.toolName(call); t != "" {
			what += " " + strconv.Quote(t)
		}
		h := s.addCall(call, "entry-point", rule, "medium", what+": a model can call it", "mcp")
		h.key = rule + "\x00" + what
		return true
	case strings.HasPrefix(pkg, "github.com/modelcontextprotocol/go-sdk/mcp") && (name == "NewStreamableHTTPHandler" || name == "NewSSEHandler"),
		strings.HasPrefix(pkg, "github.com/mark3labs/mcp-go/server") && (name == "NewStreamableHTTPServer" || name == "NewSSEServer"):
		s.addCall(call, "entry-point", "go/mcp-http", "high", "serves MCP over HTTP ("+s.short(call.Fun)+"): any local process or web page that reaches the port can call its tools unless it checks who calls", full)
		return true
	case pkg == "mvdan.cc/sh/v3/interp" && name == "New",
		pkg == "github.com/traefik/yaegi/interp" && name == "New",
		pkg == "github.com/dop251/goja" && name == "New",
		strings.HasPrefix(pkg, "github.com/yuin/gopher-lua") && name == "NewState",
		strings.HasPrefix(pkg, "github.com/expr-lang/expr") && (name == "Compile" || name == "Eval"):
		kind := map[string]string{"mvdan.cc/sh/v3/interp": "an in-process shell", "github.com/traefik/yaegi/interp": "a Go interpreter",
			"github.com/dop251/goja": "a JavaScript interpreter"}[pkg]
		if kind == "" {
			kind = "an interpreter"
		}
		s.addCall(call, "exec", "go/interpreter", "high", "runs code in "+kind+" ("+s.short(call.Fun)+"), without os/exec: what it runs is as powerful as a shell", full)
		return true
	}
	return false
}

// onFlagSet reports a call on cmd.Flags(), cmd.PersistentFlags() or a
// pflag.FlagSet: c.Flags().BoolVarP(&x, "yolo", "y", false, "…").
func (s *fileScan) onFlagSet(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if inner, ok := sel.X.(*ast.CallExpr); ok {
		if is, ok := inner.Fun.(*ast.SelectorExpr); ok {
			switch is.Sel.Name {
			case "Flags", "PersistentFlags", "LocalFlags":
				return true
			}
		}
	}
	if id, ok := sel.X.(*ast.Ident); ok {
		l := strings.ToLower(id.Name)
		return strings.Contains(l, "flag") || l == "fs"
	}
	return false
}

// firstString is the first string-literal argument (flag names come first,
// or after the variable they fill).
func firstString(args []ast.Expr) string {
	for _, a := range args {
		if v, ok := strLit(a); ok {
			return v
		}
	}
	return ""
}

// toolName is a tool's name from &mcp.Tool{Name: "x"} or mcp.NewTool("x").
func (s *fileScan) toolName(call *ast.CallExpr) string {
	name := ""
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if name != "" {
				return false
			}
			switch x := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok && id.Name == "Name" {
					name, _ = strLit(x.Value)
				}
			case *ast.CallExpr:
				if _, fn := s.callee(x); fn == "NewTool" && len(x.Args) > 0 {
					name, _ = strLit(x.Args[0])
				}
			}
			return true
		})
	}
	return name
}

// cliCommand reports a cobra or urfave/cli command literal: a subcommand is
// a new way in. It is called from composite.
func (s *fileScan) cliCommand(cl *ast.CompositeLit, pkg, name string, fields map[string]*ast.KeyValueExpr) {
	switch {
	case pkg == "github.com/spf13/cobra" && name == "Command":
		use := ""
		if kv := fields["Use"]; kv != nil {
			use, _ = strLit(kv.Value)
		}
		if f := strings.Fields(use); len(f) > 0 {
			use = f[0]
		}
		h := s.add(cl, "entry-point", "go/cli-command", "low", "new command "+strconv.Quote(use)+" (cobra)", "cli-command")
		h.key = "go/cli-command\x00" + use
		h.line, h.end = s.line(cl.Pos()), s.line(cl.Lbrace)
		if kv := fields["Use"]; kv != nil {
			h.end = s.line(kv.End())
		}
	case strings.HasPrefix(pkg, "github.com/urfave/cli") && name == "Command":
		n := ""
		if kv := fields["Name"]; kv != nil {
			n, _ = strLit(kv.Value)
		}
		h := s.add(cl, "entry-point", "go/cli-command", "low", "new command "+strconv.Quote(n)+" (urfave/cli)", "cli-command")
		h.key = "go/cli-command\x00" + n
		h.line, h.end = s.line(cl.Pos()), s.line(cl.Lbrace)
	case strings.HasPrefix(pkg, "github.com/urfave/cli") && strings.HasSuffix(name, "Flag"):
		if kv := fields["Name"]; kv != nil {
			if n, ok := strLit(kv.Value); ok {
				s.flagFinding(cl, n, "urfave/cli")
			}
		}
	}
}
