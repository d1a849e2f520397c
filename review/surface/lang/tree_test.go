package lang

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestTreeRules checks what only a syntax tree tells: which module a call
// comes from, that a moved or reformatted call is not new, and that a
// second use is not new surface.
func TestTreeRules(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "aliased named import", path: "lib/run.ts", after: "import { execSync as run } from 'node:child_process';\nrun(`git log ${ref}`);\n", want: []string{"exec"}},
		{name: "namespace import", path: "lib/run.js", after: "import * as proc from 'child_process';\nproc.spawn('git', args);\n", want: []string{"exec"}},
		{name: "exec that is not child_process", path: "lib/db.js", after: "import { exec } from './db';\nexec(sql);\n"},
		{name: "spawn defined locally", path: "lib/x.js", after: "function spawn(x) { return x; }\nspawn(1);\n"},
		{name: "import alone is one finding", path: "lib/run.js", after: "const cp = require('child_process');\n", want: []string{"exec"}},
		{name: "moved call is not new", path: "lib/run.js",
			before: "const cp = require('child_process');\nfunction a() {\n  cp.exec('make');\n}\nfunction b() {}\n",
			after:  "const cp = require('child_process');\nfunction a() {}\nfunction b() {\n  cp.exec(\"make\");\n}\n"},
		{name: "changed command is reported", path: "lib/run.js",
			before: "const cp = require('child_process');\ncp.exec('make');\n",
			after:  "const cp = require('child_process');\ncp.exec('make ' + target);\n", want: []string{"exec"}},
		{name: "a program the file already ran, moved into a helper without a shell", path: "src/branch.ts",
			before: "import { execSync } from 'child_process';\nexport function setup(b: string) {\n  execSync(`git checkout ${b}`);\n}\n",
			after:  "import { execFileSync } from 'child_process';\nfunction checkout(b: string) {\n  execFileSync('git', ['checkout', b], { stdio: 'inherit' });\n}\nexport function setup(b: string) {\n  checkout(b);\n}\n"},
		{name: "a generic runner of a program is new", path: "src/branch.ts",
			before: "import { execSync } from 'child_process';\nexport function setup(b: string) {\n  execSync(`git checkout ${b}`);\n}\n",
			after:  "import { execSync, execFileSync } from 'child_process';\nfunction execGit(args: string[]) {\n  execFileSync('git', args);\n}\nexport function setup(b: string) {\n  execSync(`git checkout ${b}`);\n}\n", want: []string{"exec"}},
		{name: "a program now run through a shell", path: "src/branch.ts",
			before: "import { execFileSync } from 'child_process';\nexecFileSync('git', ['fetch', b]);\n",
			after:  "import { execFileSync, execSync } from 'child_process';\nexecFileSync('git', ['fetch', b]);\nexecSync(`git checkout ${b}`);\n", want: []string{"exec"}},
		{name: "a literal command line now built from a value", path: "lib/run.js",
			before: "const cp = require('child_process');\ncp.exec(`make`);\n",
			after:  "const cp = require('child_process');\ncp.exec(`make ${target}`);\n", want: []string{"exec"}},
		{name: "second fetch to the same host", path: "lib/pay.js",
			before: "await fetch('https://api.stripe.com/v1/a');\n",
			after:  "await fetch('https://api.stripe.com/v1/a');\nawait fetch('https://api.stripe.com/v1/b');\n"},
		{name: "fetch to a new host", path: "lib/pay.js",
			before: "await fetch('https://api.stripe.com/v1/a');\n",
			after:  "await fetch('https://api.stripe.com/v1/a');\nawait fetch('https://telemetry.example.net/v1/b');\n", want: []string{"egress"}},
		{name: "another method of a client already used", path: "scripts/issues.py",
			before: "import requests\nrequests.patch(url, json=a)\n",
			after:  "import requests\nrequests.patch(url, json=a)\nrequests.get(timeline_url)\n"},
		{name: "a client already used, to a new host", path: "scripts/issues.py",
			before: "import requests\nrequests.patch(url, json=a)\n",
			after:  "import requests\nrequests.patch(url, json=a)\nrequests.post('https://hooks.slack.com/x')\n", want: []string{"egress"}},
		{name: "python: git again, in a helper", path: "tools/run.py",
			before: "import subprocess\ndef a(ref):\n    subprocess.run(['git', 'checkout', ref], check=True)\n",
			after:  "import subprocess\ndef a(ref):\n    checkout(ref)\ndef checkout(ref):\n    subprocess.run(['git', 'checkout', '--quiet', ref], check=True)\n"},
		{name: "python: git now through a shell", path: "tools/run.py",
			before: "import subprocess\nsubprocess.run(['git', 'fetch'])\n",
			after:  "import subprocess\nsubprocess.run(['git', 'fetch'])\nsubprocess.run('git checkout ' + ref, shell=True)\n", want: []string{"exec"}},
		{name: "python: the same command variable with other options", path: "cli/main.py",
			before: "import subprocess\ndef start(cmd, env):\n    subprocess.Popen(\n        cmd,\n        env=env,\n        creationflags=subprocess.DETACHED_PROCESS,\n    )\n",
			after:  "import subprocess\ndef start(cmd, env):\n    subprocess.Popen(\n        cmd,\n        env=env,\n        creationflags=subprocess.CREATE_NO_WINDOW,\n    )\n"},
		{name: "an MCP server's run() given other options", path: "server/app.py",
			before: "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('s')\nif __name__ == '__main__':\n    mcp.run(transport='streamable-http')\n",
			after:  "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('s')\nif __name__ == '__main__':\n    mcp.run(transport='streamable-http', stateless_http=True)\n"},
		{name: "a listener moved to every interface", path: "server/app.py",
			before: "import uvicorn\nuvicorn.run(app, host='127.0.0.1', port=8000)\n",
			after:  "import uvicorn\nuvicorn.run(app, host='0.0.0.0', port=8000)\n", want: []string{"entry-point"}},
		{name: "python alias", path: "tools/run.py", after: "import subprocess as sp\nsp.check_output(['git', 'log'])\n", want: []string{"exec"}},
		{name: "python from import", path: "tools/run.py", after: "from os import system\nsystem(cmd)\n", want: []string{"exec"}},
		{name: "python run that is not subprocess", path: "tools/run.py", after: "from invoke import run\nrun(ctx)\n"},
		{name: "python eval defined locally", path: "tools/calc.py", after: "def eval(x):\n    return x\n\neval(1)\n"},
		{name: "python yaml positional SafeLoader", path: "app/cfg.py", after: "import yaml\ncfg = yaml.load(f, yaml.SafeLoader)\n"},
		{name: "python pickle moved within file", path: "app/cache.py",
			before: "import pickle\n\ndef a(b):\n    return pickle.loads(b)\n\ndef c():\n    pass\n",
			after:  "import pickle\n\ndef c():\n    pass\n\ndef a(b):\n    return pickle.loads(b)\n"},
		{name: "computed require", path: "lib/plugins.js", after: "const p = require(name);\n", want: []string{"exec"}},
		{name: "require of the package's own file", path: "lib/plugins.js", after: "const p = require(path.join(__dirname, 'x'));\nconst q = require(`./fixed`);\n"},
		{name: "dynamic import", path: "lib/plugins.ts", after: "const m = await import(spec);\n", want: []string{"exec"}},
		{name: "cors module with defaults", path: "src/app.js", after: "import cors from 'cors';\napp.use(cors());\n", want: []string{"web-config"}},
		{name: "cors with options", path: "src/app.js", after: "import cors from 'cors';\napp.use(cors({ origin: allowed }));\n"},
		{name: "python computed import", path: "app/plugins.py", after: "import importlib\nm = importlib.import_module(name)\n", want: []string{"exec"}},
		{name: "python literal import", path: "app/plugins.py", after: "import importlib\nm = importlib.import_module('json')\n"},
		{name: "flask-cors defaults", path: "app/main.py", after: "from flask_cors import CORS\nCORS(app)\n", want: []string{"web-config"}},
		{name: "flask-cors with origins", path: "app/main.py", after: "from flask_cors import CORS\nCORS(app, origins=['https://a.example'])\n"},
		{name: "python call across lines", path: "tools/run.py",
			before: "import subprocess\n",
			after:  "import subprocess\nsubprocess.run(\n    cmd,\n    shell=True,\n)\n", want: []string{"exec"}},
	})
}

func TestTreeFindingDetails(t *testing.T) {
	c := surfacetest.Change(t, "tools/run.py", "import subprocess\n", "import subprocess\nsubprocess.run(\n    cmd,\n    check=True,\n)\n")
	fs := New().Detect(c)
	if len(fs) != 1 || fs[0].Rule != "py/subprocess" || fs[0].Confidence != "high" || fs[0].Line != 2 || fs[0].Message != "runs a process: subprocess.run" {
		t.Fatalf("findings %+v", fs)
	}
	c = surfacetest.Change(t, "lib/run.js", absent, "const { exec } = require('child_process');\nexec(cmd);\n")
	fs = New().Detect(c)
	if len(fs) != 1 || fs[0].Line != 2 || fs[0].Token != "child_process.exec" {
		t.Fatalf("an import plus its call is one finding, on the call: %+v", fs)
	}
}

// TestJSYamlVersion checks that the js-yaml rule reads the version the
// commit puts in force: v4's load is safe, v3's is not, and without a
// manifest the finding says so at low confidence.
func TestJSYamlVersion(t *testing.T) {
	src := "const yaml = require('js-yaml');\nconst cfg = yaml.load(text);\n"
	cases := []struct {
		name     string
		files    map[string][2]string
		want     int
		conf     string
		contains string
	}{
		{name: "no manifest", files: map[string][2]string{"src/cfg.js": {absent, src}}, want: 1, conf: "low", contains: "safe in js-yaml ≥ 4"},
		{name: "package.json v4", files: map[string][2]string{"src/cfg.js": {absent, src}, "package.json": {absent, `{"dependencies": {"js-yaml": "^4.1.0"}}`}}},
		{name: "package.json v3", files: map[string][2]string{"src/cfg.js": {absent, src}, "package.json": {absent, `{"dependencies": {"js-yaml": "~3.14.1"}}`}}, want: 1, conf: "high", contains: "3.x"},
		{name: "lockfile wins", files: map[string][2]string{"src/cfg.js": {absent, src},
			"package.json":      {absent, `{"dependencies": {"js-yaml": ">=3"}}`},
			"package-lock.json": {absent, "{\"packages\": {\"node_modules/js-yaml\": {\n  \"version\": \"4.1.0\"}}}"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			changes := surfacetest.Changes(t, tc.files)
			d := New().(interface {
				ForCommit([]*surface.Change) surface.Detector
			}).ForCommit(changes)
			var fs []surface.Finding
			for _, c := range changes {
				if d.Applies(c.Path()) {
					fs = append(fs, d.Detect(c)...)
				}
			}
			if len(fs) != tc.want {
				t.Fatalf("findings %+v, want %d", fs, tc.want)
			}
			if tc.want > 0 && (fs[0].Confidence != tc.conf || !strings.Contains(fs[0].Message, tc.contains)) {
				t.Fatalf("finding %+v, want confidence %s and %q", fs[0], tc.conf, tc.contains)
			}
		})
	}
}

// TestTreeFallback checks that a file without a usable tree is still read,
// by the line rules.
func TestTreeFallback(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "syntax error", path: "lib/run.js", after: "const cp = require('child_process');\ncp.exec(cmd);\nfunction (\n", want: []string{"exec"}},
		{name: "kotlin", path: "src/Run.kt", after: "val p = Runtime.getRuntime().exec(cmd)\n", want: []string{"exec"}},
		{name: "brackets too deep", path: "tools/run.py", after: "subprocess.run(cmd, shell=True)\nx = " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", want: []string{"exec"}},
	})
}

func TestTreeProcessRules(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "java process builder", path: "src/Run.java", after: "class Run { void f() { new ProcessBuilder(\"git\", \"log\").start(); } }\n", want: []string{"exec"}},
		{name: "java runtime exec", path: "src/Run.java", after: "class Run { void f() throws Exception { Runtime.getRuntime().exec(cmd); } }\n", want: []string{"exec"}},
		{name: "java exec of another object", path: "src/Db.java", after: "class Db { void f() { statement.exec(sql); } }\n"},
		{name: "rust std command", path: "src/run.rs", after: "use std::process::Command;\nfn f() { Command::new(\"git\").output().unwrap(); }\n", want: []string{"exec"}},
		{name: "rust clap command is a CLI, not a process", path: "src/cli.rs", after: "use clap::Command;\nfn cli() -> Command { Command::new(\"vouch\") }\n"},
		{name: "php shell_exec", path: "app/run.php", after: "<?php\n$out = shell_exec('git log ' . $ref);\n", want: []string{"exec"}},
		{name: "php method named exec", path: "app/db.php", after: "<?php\n$this->db->exec($sql);\n$pdo->exec('SET NAMES utf8');\n"},
		{name: "php symfony process", path: "app/run.php", after: "<?php\nuse Symfony\\Component\\Process\\Process;\n$p = new Process(['git', 'log']);\n", want: []string{"exec"}},
		{name: "ruby system", path: "lib/run.rb", after: "system(\"git\", \"log\")\n", want: []string{"exec"}},
		{name: "ruby open3", path: "lib/run.rb", after: "out, st = Open3.capture2e(cmd)\n", want: []string{"exec"}},
		{name: "ruby method of a model named exec", path: "lib/q.rb", after: "query.exec(sql)\n"},
		{name: "csharp alias", path: "src/Run.cs", after: "using P = System.Diagnostics.Process;\nclass R { void F() { P.Start(\"git\"); } }\n", want: []string{"exec"}},
		{name: "csharp shell execute", path: "src/Run.cs", after: "class R { void F() { var i = new Info { UseShellExecute = true }; } }\n", want: []string{"exec"}},
	})
}
