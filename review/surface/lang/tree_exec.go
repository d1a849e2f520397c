package lang

import (
	"strings"

	"github.com/vouch-review/vouch/review/surface/syntax"
)

// Process rules on the syntax tree for Java, Ruby, Rust, PHP and C#. The
// tree tells a call from a name in a string or comment, a method of some
// object from the function itself (`$db->exec` is not PHP's exec), and
// clap's Command::new from std::process's.

func hasSuffixPart(callee, suffix string) bool {
	return callee == suffix || strings.HasSuffix(callee, "."+suffix)
}

var javaTreeRules = []treeRule{
	{id: "java/runtime-exec", cat: "exec", sev: "high", token: "Runtime.exec", text: "runs a process: {callee}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", hasSuffixPart(c.Callee, "Runtime.getRuntime().exec") || c.New && (c.Callee == "ProcessBuilder" || c.Callee == "java.lang.ProcessBuilder")
		}},
}

var rubyProcessFns = wordSet("system", "exec", "spawn", "syscall")
var rubyProcessCalls = wordSet("Kernel.system", "Kernel.exec", "Kernel.spawn", "IO.popen", "PTY.spawn", "Process.spawn")

var rubyTreeRules = []treeRule{
	{id: "rb/system", cat: "exec", sev: "high", token: "{m}", text: "runs a process: {callee}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			switch {
			case rubyProcessFns[c.Callee] && !f.Defined[c.Callee]:
				return c.Callee, true
			case rubyProcessCalls[c.Callee] || strings.HasPrefix(c.Callee, "Open3.") && strings.Count(c.Callee, ".") == 1:
				return c.Callee, true
			}
			return "", false
		}},
}

var rustTreeRules = []treeRule{
	{id: "rs/command", cat: "exec", sev: "high", token: "std::process::Command", text: "runs a process: {callee}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			switch c.Callee {
			case "std.process.Command.new", "tokio.process.Command.new", "async_process.Command.new", "async_std.process.Command.new",
				"process.Command.new", "std.process.Command", "Command.new":
				return "", true // Command::new unbound by a use: std's is in no prelude, but a glob use may bring it
			}
			return "", false
		},
		conf: func(c *syntax.Call, _ *options) string {
			if c.Module != "" || strings.HasPrefix(c.Callee, "std.") {
				return "high"
			}
			return "medium"
		}},
}

var phpProcessFns = wordSet("exec", "shell_exec", "system", "passthru", "proc_open", "popen", "pcntl_exec")

var phpTreeRules = []treeRule{
	{id: "php/exec", cat: "exec", sev: "high", token: "{m}", text: "runs a process: {callee}",
		match: func(c *syntax.Call, f *syntax.File, _ *options) (string, bool) {
			switch {
			case !c.New && c.Module == "" && phpProcessFns[c.Callee] && !f.Defined[c.Callee]:
				return c.Callee, true
			case c.New && (c.Callee == "Symfony.Component.Process.Process" || c.Callee == "Process" && f.Imported("Symfony")):
				return "Process", true
			case hasSuffixPart(c.Callee, "Process.fromShellCommandline"):
				return "Process::fromShellCommandline", true
			}
			return "", false
		}},
}

var csharpTreeRules = []treeRule{
	{id: "cs/process-start", cat: "exec", sev: "high", token: "Process.Start", text: "runs a process: {callee}",
		match: func(c *syntax.Call, _ *syntax.File, _ *options) (string, bool) {
			return "", !c.New && hasSuffixPart(c.Callee, "Process.Start") || c.New && hasSuffixPart(c.Callee, "ProcessStartInfo")
		}},
}
