package lang

import (
	"strings"
	"testing"
)

func TestAgentSurfaces(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "commander flag that auto-approves", path: "src/cli.ts", after: "import { Command } from 'commander';\nconst program = new Command();\nprogram.option('-y, --yolo', 'approve every action');\n", want: []string{"entry-point"}},
		{name: "commander ordinary flag", path: "src/cli.ts", after: "import { Command } from 'commander';\nprogram.option('--config <dir>', 'configuration directory');\n", want: []string{"entry-point"}},
		{name: "option outside a CLI parser", path: "src/ui.ts", after: "const el = select.option('a');\n"},
		{name: "yargs command module", path: "src/commands/list.ts", after: "import { CommandModule } from 'yargs';\nexport const listCommand: CommandModule = {\n  command: 'list',\n  handler: async () => {},\n};\n", want: []string{"entry-point"}},
		{name: "vscode command", path: "src/extension.ts", after: "context.subscriptions.push(vscode.commands.registerCommand('ext.runTask', run));\n", want: []string{"entry-point"}},
		{name: "mcp tool", path: "src/mcp.ts", after: "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nserver.registerTool('write_file', schema, handler);\n", want: []string{"entry-point"}},
		{name: "mcp over http", path: "src/mcp.ts", after: "const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });\n", want: []string{"entry-point"}},
		{name: "telemetry sdk", path: "src/telemetry.ts", after: "import { PostHog } from 'posthog-node';\n", want: []string{"egress"}},
		{name: "argparse flag", path: "tool/main.py", after: "parser.add_argument('--yes-always', action='store_true')\n", want: []string{"entry-point"}},
		{name: "click option", path: "tool/cli.py", after: "import click\n@click.option('--port', default=8080)\n", want: []string{"entry-point"}},
		{name: "fastmcp tool", path: "server.py", after: "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('files')\n@mcp.tool()\ndef read(path: str) -> str:\n    return open(path).read()\n", want: []string{"entry-point"}},
		{name: "sentry init", path: "app/main.py", after: "import sentry_sdk\nsentry_sdk.init(dsn=DSN)\n", want: []string{"egress"}},
		{name: "a cost per token is not a secret", path: "app/log.py", after: "logger.info('price %s', model.input_cost_per_token)\n"},
		{name: "logging a token's length is not logging it", path: "src/log.js", after: "console.log('token length', token.length);\n"},
		{name: "logging a token", path: "src/log.js", after: "console.log('token', token);\n", want: []string{"logging"}},
	})
}

func TestUnsafeFlagSeverity(t *testing.T) {
	fs := run(t, detectCase{path: "src/cli.ts", after: "import { Command } from 'commander';\nprogram.option('--dangerously-skip-permissions');\nprogram.option('--port <n>');\n"})
	sev := map[string]string{}
	for _, f := range fs {
		sev[f.Rule] = f.Severity
		if f.Rule == "js/cli-unsafe-flag" && !strings.Contains(f.Message, "--dangerously-skip-permissions") {
			t.Errorf("message %q does not name the flag", f.Message)
		}
	}
	if sev["js/cli-unsafe-flag"] != "high" || sev["js/cli-flag"] != "low" {
		t.Errorf("severities %v: want the unsafe flag high and the port low", sev)
	}
}

func TestSecondUseIsNotNew(t *testing.T) {
	before := "import requests\n\ndef a():\n    return requests.get(url_a)\n"
	checkCases(t, []detectCase{
		{name: "another requests.get", path: "scripts/issues.py", before: before,
			after: before + "\ndef b():\n    return requests.get(url_b)\n"},
		{name: "a call to a new host", path: "scripts/issues.py", before: before,
			after: before + "\ndef b():\n    return requests.get(\"https://api.stripe.com/v1/charges\")\n", want: []string{"egress"}},
		{name: "a first spawn in the file", path: "scripts/issues.py", before: before,
			after: before + "\nimport subprocess\nsubprocess.run([\"git\", \"push\"])\n", want: []string{"exec"}},
		{name: "another spawn is still a finding", path: "scripts/release.py", before: "import subprocess\nsubprocess.run([\"git\", \"tag\", v])\n",
			after: "import subprocess\nsubprocess.run([\"git\", \"tag\", v])\nsubprocess.run([\"git\", \"push\", \"--no-verify\"])\n", want: []string{"exec"}},
	})
}
