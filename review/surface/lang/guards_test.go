package lang

import (
	"strings"
	"testing"
)

func TestGuardsAndRedaction(t *testing.T) {
	guard := `export async function checkWritePermissions(actor: string): Promise<boolean> {
  const perm = await lookup(actor);
  if (perm === "admin" || perm === "write") {
    return true;
  }
  return false;
}
`
	checkCases(t, []detectCase{
		{name: "guard lets a new actor through", path: "src/permissions.ts", before: guard,
			after: strings.Replace(guard, "  const perm", "  if (allowedBots.includes(actor)) {\n    return true;\n  }\n  const perm", 1), want: []string{"auth"}},
		{name: "guard loses a branch", path: "src/permissions.ts", before: guard,
			after: strings.Replace(guard, ` || perm === "write"`, "", 1), want: []string{"auth", "old:auth"}},
		{name: "logging edit in a guard", path: "src/permissions.ts", before: guard,
			after: strings.Replace(guard, "  const perm", "  console.info(actor);\n  const perm", 1)},
		{name: "an ordinary function's branches", path: "src/format.ts", before: "export function formatRow(r) {\n  return r.name;\n}\n",
			after: "export function formatRow(r) {\n  if (r.draft) {\n    return false;\n  }\n  return r.name;\n}\n"},
		{name: "python guard", path: "app/auth.py", before: "def is_allowed(user):\n    return user.role == 'admin'\n",
			after: "def is_allowed(user):\n    if user.email.endswith('@corp.example'):\n        return True\n    return user.role == 'admin'\n", want: []string{"auth"}},
		{name: "redaction widened", path: "src/sanitizer.ts", before: "export function redactTokens(s: string) {\n  return s.replace(/ghp_\\w+/g, '[REDACTED]');\n}\n",
			after: "export function redactTokens(s: string) {\n  return s.replace(/gh[pousr]_\\w+/g, '[REDACTED]');\n}\n", want: []string{"logging", "old:logging"}},
		{name: "output passed through a redaction", path: "src/comment.ts", before: "export async function post(body) {\n  await api.comment(body);\n}\n",
			after: "export async function post(body) {\n  await api.comment(sanitizeContent(body));\n}\n", want: []string{"logging"}},
		{name: "python redaction dropped", path: "agent/messages.py", before: "def state(msg):\n    text = _filter_sensitive_data(msg)\n    return text\n",
			after: "def state(msg):\n    text = msg\n    return text\n", want: []string{"old:logging"}},
		{name: "tool paths now validated", path: "src/mcp/files.ts", before: "export async function del(p) {\n  await fs.rm(join(root, p));\n}\n",
			after: "export async function del(p) {\n  const safe = await validatePathWithinRepo(p, root);\n  await fs.rm(safe);\n}\n", want: []string{"file"}},
		{name: "path check loosened", path: "src/paths.ts",
			before: "export function validatePathWithinRepo(p, root) {\n  if (p.includes('..')) {\n    throw new Error('outside');\n  }\n  return p;\n}\n",
			after:  "export function validatePathWithinRepo(p, root) {\n  return p;\n}\n", want: []string{"old:file"}},
		{name: "a classifier is not a check", path: "src/paths.ts", before: "function isLocalPath(s) {\n  return s.startsWith('./');\n}\n",
			after: "function isLocalPath(s) {\n  return s.startsWith('./') || s.startsWith('/');\n}\n"},
		{name: "tests calling a path check", path: "test/paths.test.ts", before: "it('x', () => {\n});\n",
			after: "it('x', () => {\n  expect(validatePathWithinRepo('../a', '/r')).rejects;\n});\n"},
		{name: "allowed tools widened", path: "src/modes/review.ts", before: "export const tools = {\n  allowedTools: ['Read'],\n};\n",
			after: "export const tools = {\n  allowedTools: ['Read', 'Bash(gh issue comment:*)'],\n};\n", want: []string{"auth", "old:auth"}},
		{name: "python approval policy", path: "agent/config.py", before: "class C:\n    timeout = 3\n",
			after: "class C:\n    timeout = 3\n    auto_approve = True\n", want: []string{"auth"}},
		{name: "a tool joins the list", path: "src/tools.ts", before: "export const snapshotTools: Tool<any>[] = [\n  ...common(true),\n  ...wait(true),\n];\n",
			after: "export const snapshotTools: Tool<any>[] = [\n  ...common(true),\n  ...wait(true),\n  ...evaluate(true),\n];\n", want: []string{"entry-point"}},
		{name: "a list comprehension", path: "agent/run.py", before: "def f(layers):\n    return 1\n",
			after: "def f(layers):\n    base_tools = [\n        tool\n        for cap in layers\n        for tool in cap.tools()\n    ]\n    return base_tools\n"},
		{name: "an ordinary list", path: "src/cols.ts", before: "export const columns = [\n  name,\n];\n",
			after: "export const columns = [\n  name,\n  size,\n];\n"},
		{name: "python TOOLS", path: "agent/tools.py", before: "TOOLS = [\n    read_file,\n]\n",
			after: "TOOLS = [\n    read_file,\n    run_shell,\n]\n", want: []string{"entry-point"}},
		{name: "api key saved to config", path: "cli/cloud.py", before: "def login():\n    pass\n",
			after: "def login():\n    pass\n\n\ndef _save_api_key(key):\n    config = _read_config()\n    config['api_key'] = key\n    _write_config(config)\n", want: []string{"file"}},
		{name: "an error classifier is not a guard", path: "src/lib/connectionAuthErrors.ts",
			before: "export function isConnectionAuthError(e) {\n  return e.code === 'unauthorized';\n}\n",
			after:  "export function isConnectionAuthError(e) {\n  if (!e) {\n    return false;\n  }\n  return e.code === 'unauthorized' || e.code === 'expired';\n}\n"},
		{name: "a bypass set to false, an approval required, a flag's type", path: "src/launcher.ts", before: "export function defaults() {\n  return {};\n}\n",
			after: "export function defaults() {\n  return {\n    bypassPermissions: false,\n    requireApproval: true,\n  };\n}\n\nexport function launch(settings: { dangerouslySkipPermissions: boolean }) {\n  return settings;\n}\n"},
		{name: "a component hands the bypass setting on", path: "src/components/DraftForm.tsx", before: "export function Form() {\n  return null;\n}\n",
			after: "export function Form({ bypassEnabled, session }) {\n  const dangerouslySkipPermissions = useMemo(() => session.dangerouslySkipPermissions, [session]);\n  const form = useForm({\n    defaultValues: {\n      dangerouslySkipPermissions: bypassEnabled,\n    },\n  });\n  return null;\n}\n"},
		{name: "a component writes the bypass setting", path: "src/components/SessionDetail.tsx", before: "export function restore(updates, saved) {\n  return updates;\n}\n",
			after: "export function restore(updates, saved) {\n  updates.dangerouslySkipPermissions = saved;\n  return updates;\n}\n", want: []string{"auth"}},
		{name: "a client hands the bypass setting on", path: "src/lib/client.ts", before: "export function launch(o) {\n  return post({});\n}\n",
			after: "export function launch(o) {\n  return post({\n    dangerouslySkipPermissions: o.bypass,\n  });\n}\n", want: []string{"auth"}},
		{name: "a bypass turned on", path: "src/launcher.ts", before: "export function defaults() {\n  return {};\n}\n",
			after: "export function defaults() {\n  return {\n    bypassPermissions: true,\n  };\n}\n", want: []string{"auth"}},
		{name: "a masked key removed with the key", path: "src/config.ts",
			before: "export function show(cfg) {\n  console.log(maskSensitiveValue(cfg.api_key));\n  console.log(cfg.url);\n}\n",
			after:  "export function show(cfg) {\n  console.log(cfg.url);\n}\n"},
		{name: "a key no longer masked", path: "src/config.ts",
			before: "export function show(cfg) {\n  console.log(maskSensitiveValue(cfg.api_key));\n}\n",
			after:  "export function show(cfg) {\n  console.log(cfg.api_key.length);\n}\n", want: []string{"old:logging"}},
		{name: "the same values handed to another logger", path: "src/notify.ts",
			before: "export function skip(sessionId, approvalId) {\n  console.log('skipping', { sessionId, approvalId })\n}\n",
			after:  "export function skip(sessionId, approvalId) {\n  logger.debug('skipping', { sessionId, approvalId })\n}\n"},
		{name: "an MCP server added to the config", path: "src/mcp/install.ts", before: "export function cfg(base) {\n  return base;\n}\n",
			after: "export function cfg(base) {\n  base.mcpServers.inline = {\n    command: \"bun\",\n    args: [\"run\", script],\n  };\n  return base;\n}\n", want: []string{"exec"}},
	})
}

func TestTelemetrySDKs(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "logfire", path: "app/obs.py", before: "import os\n", after: "import os\nimport logfire\n\nlogfire.configure(token=os.environ['LOGFIRE_TOKEN'])\n", want: []string{"egress"}},
		{name: "otlp exporter", path: "app/otel.py", before: "import os\n",
			after: "import os\nfrom opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter\n\nexp = OTLPSpanExporter(endpoint='https://otel.example.com')\n", want: []string{"egress"}},
		{name: "langfuse js", path: "src/trace.ts", before: "export {};\n", after: "import { Langfuse } from 'langfuse';\nexport const lf = new Langfuse();\n", want: []string{"egress"}},
	})
}

func TestLoggingHeaders(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "python logs request headers", path: "app/http.py", before: "import logging\nlogger = logging.getLogger(__name__)\n",
			after: "import logging\nlogger = logging.getLogger(__name__)\n\ndef send(url, headers):\n    logger.debug(f'sending to {url} with {headers}')\n", want: []string{"logging"}},
		{name: "a count of headers", path: "app/http.py", before: "import logging\nlogger = logging.getLogger(__name__)\n",
			after: "import logging\nlogger = logging.getLogger(__name__)\n\ndef send(url, headers):\n    logger.debug('sending %d headers', len(headers))\n"},
	})
}

func TestSandboxAndTunnels(t *testing.T) {
	launch := "export function launchOptions(cli) {\n  const o = { headless: true };\n  if (cli.sandbox === false)\n    o.chromiumSandbox = false;\n  return o;\n}\n"
	checkCases(t, []detectCase{
		{name: "sandbox turned off", path: "src/browser.ts", before: "const args = ['--headless'];\n",
			after: "const args = ['--headless', '--no-sandbox'];\n", want: []string{"auth"}},
		{name: "when the sandbox is off changes", path: "src/config.ts", before: launch,
			after: strings.Replace(launch, "cli.sandbox === false", "!cli.sandbox", 1), want: []string{"auth"}},
		{name: "an unrelated condition beside it", path: "src/config.ts", before: launch,
			after: strings.Replace(launch, "headless: true", "headless: cli.headless", 1)},
		{name: "python sandbox flag in a test is routine", path: "tests/test_browser.py", before: "ARGS = []\n",
			after: "ARGS = ['--no-sandbox']\n"},
		{name: "quick tunnel", path: "cli/tunnel.py", before: "import re\n",
			after: "import re\nURL = re.compile(r'(https://\\S+\\.trycloudflare\\.com)')\ncmd = ['cloudflared', 'tunnel', '--url', f'http://localhost:{port}']\n", want: []string{"infra"}},
		{name: "ngrok from node", path: "src/share.ts", before: "export {};\n",
			after: "import ngrok from '@ngrok/ngrok';\nexport const listener = await ngrok.forward({ addr: 8080 });\n", want: []string{"infra"}},
	})
}

func TestChildFlags(t *testing.T) {
	cli := "import subprocess\n\ndef build(o):\n    cmd = ['claude']\n    if o.model:\n        cmd.extend(['--model', o.model])\n    return subprocess.Popen(cmd)\n"
	checkCases(t, []detectCase{
		{name: "a new option forwarded is a low entry point", path: "sdk/transport.py", before: cli,
			after: strings.Replace(cli, "    return", "    if o.betas:\n        cmd.extend(['--betas', ','.join(o.betas)])\n    return", 1), want: []string{"entry-point"}},
		{name: "a permission flag forwarded", path: "sdk/transport.py", before: cli,
			after: strings.Replace(cli, "    return", "    cmd.append('--dangerously-skip-permissions')\n    return", 1), want: []string{"auth"}},
		{name: "a list in a file that starts nothing", path: "sdk/options.py", before: "ARGS = []\n",
			after: "ARGS = []\nARGS.append('--model')\n"},
		{name: "js args pushed", path: "src/run.ts", before: "import { spawn } from 'node:child_process';\nconst args = ['-p'];\n",
			after: "import { spawn } from 'node:child_process';\nconst args = ['-p'];\nargs.push('--allowedTools', tools);\n", want: []string{"auth"}},
	})
}

// A file the parser has to recover in keeps its access decisions on the
// line rules.
func TestDenyLines(t *testing.T) {
	broken := "import { x } from './x';\n\t\tlet apiKey = provided || undefined;\n"
	checkCases(t, []detectCase{
		{name: "js refusal in words, file cut mid-function", path: "src/main.ts", before: broken,
			after: broken + "\t\tif (!apiKey && headless) {\n\t\t\twriteErr(\"Not authenticated\");\n\t\t\tprocess.exit(1);\n\t\t}\n}\n}\n", want: []string{"auth"}},
		{name: "js 403 on a broken file", path: "src/routes.js", before: broken,
			after: broken + "  if (!user.admin) return res.status(403).end();\n}}\n", want: []string{"auth"}},
		{name: "js log of the word is no decision", path: "src/main.ts", before: broken,
			after: broken + "\t\tconsole.error(\"Unauthorized request from\", ip);\n}}\n"},
		{name: "py raise on a broken file", path: "app/api.py", before: "def f(:\n    pass\n",
			after: "def f(:\n    if not user:\n        raise PermissionError(\"no\")\n    pass\n", want: []string{"auth"}},
		{name: "py logged refusal is no decision", path: "app/api.py", before: "def f(:\n    pass\n",
			after: "def f(:\n    logger.warning(\"Unauthorized: %s\", u)\n    pass\n"},
	})
}

// Token issuance and checks, and telemetry, on the lines of a file without
// a tree.
func TestTokenLines(t *testing.T) {
	pyBroken := "import jwt\nimport sentry_sdk\n\ndef f(:\n    pass\n"
	checkCases(t, []detectCase{
		{name: "py jwt decode and encode", path: "app/security.py", before: pyBroken,
			after: pyBroken + "    data = jwt.decode(tok, KEY, algorithms=['HS256'])\n", want: []string{"auth"}},
		{name: "py telemetry", path: "app/main.py", before: pyBroken,
			after: pyBroken + "    sentry_sdk.init(dsn=DSN)\n", want: []string{"egress"}},
		{name: "py jwt decode without a jwt import is a name", path: "app/security.py", before: "def f(:\n    pass\n",
			after: "def f(:\n    data = jwt.decode(tok)\n"},
		{name: "js jwt sign", path: "src/auth.ts", before: "import jwt from 'jsonwebtoken';\nfunction f( {\n",
			after: "import jwt from 'jsonwebtoken';\nfunction f( {\n  return jwt.sign({ id }, secret);\n", want: []string{"auth"}},
	})
}

// A tool defined through a project's wrapper, in a file without a tree.
func TestToolLines(t *testing.T) {
	cut := "import { defineTool } from './tool';\n});\n\n"
	tool := "const setHeaders = defineTool({\n  capability: 'core',\n  schema: {\n    name: 'browser_set_headers',\n    inputSchema: z.object({}),\n  },\n  handle: async (context, { headers }) => {\n    context.setDynamicHeaders(headers);\n  },\n});\n"
	checkCases(t, []detectCase{
		{name: "a wrapper tool", path: "src/tools/network.ts", before: cut, after: cut + tool, want: []string{"entry-point"}},
		{name: "a wrapper without a schema is no tool", path: "src/tools/network.ts", before: cut,
			after: cut + "const t = defineTool({\n  capability: 'core',\n});\n"},
	})
}

// A field's declared type writes no permission; a value does.
func TestToolPermissionTypes(t *testing.T) {
	ts := "export type Inputs = {\n  trigger: string;\n};\n"
	py := "@dataclass\nclass Options:\n    model: str | None = None\n"
	checkCases(t, []detectCase{
		{name: "ts field types", path: "src/context.ts", before: ts,
			after: strings.Replace(ts, "  trigger: string;\n", "  trigger: string;\n  allowedTools: string[];\n  disallowedTools?: Array<string> | undefined;\n", 1)},
		{name: "py annotated fields", path: "sdk/types.py", before: py,
			after: py + "    allowed_tools: list[str] = field(default_factory=list)\n    permission_mode: PermissionMode | None = None\n"},
		{name: "py default that approves", path: "sdk/types.py", before: py,
			after: py + "    auto_approve: bool = True\n", want: []string{"auth"}},
		{name: "ts value", path: "src/prepare.ts", before: "const o = {\n  branch,\n};\n",
			after: "const o = {\n  branch,\n  allowedTools: context.inputs.allowedTools,\n};\n", want: []string{"auth"}},
	})
}

// A function about a model's tokens decides no access.
func TestGuardNamesNotLLMTokens(t *testing.T) {
	for name, want := range map[string]bool{"requiresMaxCompletionTokens": false, "checkTokenLimit": false,
		"verifyToken": true, "checkWritePermissions": true, "is_allowed": true} {
		if got := isGuardFunc(name); got != want {
			t.Errorf("isGuardFunc(%s) = %v", name, got)
		}
	}
}

// express-validator's validationResult(req) is request validation; a
// variable of that name is not.
func TestValidationRemoved(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "express-validator check removed", path: "src/routes.js",
			before: "app.post('/users', h);\nfunction h(req, res) {\n  const errors = validationResult(req);\n  if (!errors.isEmpty()) return res.status(400).end();\n}\n",
			after:  "app.post('/users', h);\nfunction h(req, res) {\n}\n", want: []string{"old:entry-point"}},
		{name: "a schema dropped from a config loader", path: "src/loader.ts",
			before: "export function load(raw) {\n  const r = effortSchema.safeParse(raw.effort);\n  return r.success ? r.data : undefined;\n}\n",
			after:  "export function load(raw) {\n  return raw.effort;\n}\n"},
		{name: "a variable called validationResult", path: "src/cli.ts",
			before: "async function run(id) {\n  const validationResult = await core.loadAndValidate(id);\n  if (!validationResult.success) return;\n}\n",
			after:  "async function run(id) {\n}\n"},
	})
}

// A repository script that starts a fixed program without a shell is a low
// note; the same call in the product, or a script's shell command built
// from values, stays high.
func TestScriptProcesses(t *testing.T) {
	head := "import { spawnSync, execSync, execFileSync } from 'node:child_process';\n\n"
	for _, tc := range []struct {
		name, path, call, sev string
	}{
		{"a build script runs vite", "scripts/verify-build-gate.mjs", `spawnSync("npx", ["--no-install", "vite", "build"], { cwd: dir });`, "low"},
		{"a smoke script runs node", "scripts/lib/prod-web-server.mjs", `spawnSync(process.execPath, [entry, "--web"]);`, "low"},
		{"a script's shell command from values", "scripts/sync.mjs", "execSync(`find \"${dir}\" -type d -exec chmod 755 {} +`);", "high"},
		{"a script's shell option with values", "scripts/run.mjs", `spawnSync(cmd, ["log"], { shell: true });`, "high"},
		{"a script's helper runs its caller's command", "scripts/pack.mjs", "spawnSync(command, args, { cwd, stdio: 'inherit' });", "low"},
		{"a script lists files by pattern", "scripts/verify.mjs", "execFileSync('git', ['ls-files', '--', ...dirs.map((d) => `${d}/**`)]);", "low"},
		{"a build script's literal command line", "scripts/build.js", `execSync('esbuild src/cli.ts --bundle --outfile=dist/cli.js', { stdio: 'inherit' });`, "low"},
		{"the product runs git", "src/git.ts", `spawnSync("git", ["ls-files"]);`, "high"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := run(t, detectCase{path: tc.path, before: head + "export const x = 1;\n", after: head + "export const x = 1;\n" + tc.call + "\n"})
			found := false
			for _, f := range fs {
				if f.Rule == "js/child-process" {
					found = true
					if f.Severity != tc.sev {
						t.Errorf("severity %s, want %s: %s", f.Severity, tc.sev, f.Message)
					}
				}
			}
			if !found {
				t.Errorf("no js/child-process finding: %+v", fs)
			}
		})
	}
}
