package lang

import (
	"strings"
	"testing"
)

// TestTreeEntryPoints checks routes, CLI flags and commands, MCP tools, IDE
// commands and listeners on the syntax tree: an edited handler is not a new
// route, a flag in a string is not a flag, a second registration of the
// same name is not new.
func TestTreeEntryPoints(t *testing.T) {
	const express = "import express from 'express';\nconst app = express();\n"
	const commander = "import { Command } from 'commander';\nconst program = new Command();\n"
	const mcp = "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"
	checkCases(t, []detectCase{
		{name: "express route", path: "src/app.ts", before: express, after: express + "app.get('/users/:id', async (req, res) => res.json(await find(req.params.id)));\n", want: []string{"entry-point"}},
		{name: "route handler edited", path: "src/app.ts",
			before: express + "app.get('/users/:id', (req, res) => res.json(a(req)));\n",
			after:  express + "app.get('/users/:id', (req, res) => res.json(b(req, 1)));\n"},
		{name: "route moved", path: "src/app.ts",
			before: express + "app.get('/a', ha);\napp.post('/b', hb);\n",
			after:  express + "app.post('/b', hb);\napp.get('/a', ha);\n"},
		{name: "http client is not a route", path: "src/client.ts", after: "import axios from 'axios';\nconst api = axios.create();\nawait api.get('/users', { params });\n", want: []string{"egress"}},
		{name: "hono route", path: "src/index.ts", after: "import { Hono } from 'hono';\nconst app = new Hono();\napp.post('/hook', (c) => c.text('ok'));\n", want: []string{"entry-point"}},
		{name: "listener", path: "src/server.js", after: "const http = require('http');\nhttp.createServer(app).listen(8080);\n", want: []string{"entry-point"}},
		{name: "unsafe flag", path: "src/cli.ts", before: commander, after: commander + "program.option('-y, --yolo', 'approve every action');\n", want: []string{"entry-point"}},
		{name: "flag description edited", path: "src/cli.ts",
			before: commander + "program.option('--verbose', 'more output');\n",
			after:  commander + "program.option('--verbose', 'print more output');\n"},
		{name: "flag named in a string is not a flag", path: "src/cli.ts", before: commander, after: commander + "console.log('pass --yolo to skip prompts');\n"},
		{name: "option outside a CLI file", path: "src/select.ts", after: "menu.option('--yolo');\n"},
		{name: "ide command", path: "src/extension.ts", after: "import * as vscode from 'vscode';\nvscode.commands.registerCommand('cline.run', run);\n", want: []string{"entry-point"}},
		{name: "mcp tool", path: "src/mcp.ts", after: mcp + "const server = new McpServer({ name: 'x', version: '1' });\nserver.tool('read_file', schema, async (a) => read(a));\n", want: []string{"entry-point"}},
		{name: "mcp tool schema edited", path: "src/mcp.ts",
			before: mcp + "server.tool('read_file', { path: z.string() }, h);\n",
			after:  mcp + "server.tool('read_file', { path: z.string().min(1) }, h);\n"},
		{name: "python route", path: "app/main.py", before: "from fastapi import FastAPI\napp = FastAPI()\n",
			after: "from fastapi import FastAPI\napp = FastAPI()\n\n@app.post('/items')\nasync def create(item: Item):\n    return item\n", want: []string{"entry-point"}},
		{name: "python route body edited", path: "app/main.py",
			before: "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/items')\nasync def items():\n    return a()\n",
			after:  "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/items')\nasync def items():\n    return b()\n"},
		{name: "python unsafe flag", path: "tool/cli.py", before: "import argparse\np = argparse.ArgumentParser()\n",
			after: "import argparse\np = argparse.ArgumentParser()\np.add_argument('--yes-always', action='store_true')\n", want: []string{"entry-point"}},
		{name: "typer unsafe flag", path: "tool/cli.py", before: "import typer\n",
			after: "import typer\n\ndef main(yolo: bool = typer.Option(False, '--dangerously-skip-permissions')):\n    pass\n", want: []string{"entry-point"}},
		{name: "yargs unsafe flag", path: "src/cli.js", before: "const yargs = require('yargs');\n",
			after: "const yargs = require('yargs');\nyargs.option('yolo', { type: 'boolean' });\n", want: []string{"entry-point"}},
		{name: "click command", path: "tool/cli.py", before: "import click\n",
			after: "import click\n\n@click.command()\n@click.option('--count', default=1)\ndef hello(count):\n    pass\n", want: []string{"entry-point"}},
		{name: "fastmcp tool", path: "srv/server.py", before: "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n",
			after: "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n\n@mcp.tool()\ndef read(path: str) -> str:\n    return open(path).read()\n", want: []string{"entry-point"}},
		{name: "fastmcp over http", path: "srv/server.py", before: "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n",
			after: "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\nmcp.run(transport='streamable-http')\n", want: []string{"entry-point"}},
		{name: "uvicorn", path: "srv/main.py", after: "import uvicorn\nuvicorn.run(app, host='0.0.0.0')\n", want: []string{"entry-point"}},
	})
}

// TestTreeAuth checks that auth is a decision: a denial, middleware attached
// to or detached from a route, a dependency, token issuance and validation;
// a variable called token is not auth.
func TestTreeAuth(t *testing.T) {
	const express = "import express from 'express';\nconst app = express();\n"
	const fastapi = "from fastapi import FastAPI, Depends, HTTPException\napp = FastAPI()\n"
	checkCases(t, []detectCase{
		{name: "denial added", path: "src/mw.ts", before: "export function guard(req, res, next) {\n  next();\n}\n",
			after: "export function guard(req, res, next) {\n  if (!req.user) return res.status(401).json({ error: 'no' });\n  next();\n}\n", want: []string{"auth"}},
		{name: "denial removed", path: "src/mw.ts",
			before: "export function guard(req, res, next) {\n  if (!req.user) return res.status(403).end();\n  next();\n}\n",
			after:  "export function guard(req, res, next) {\n  next();\n}\n", want: []string{"old:auth"}},
		{name: "a refusal in words", path: "src/main.ts", before: "run();\n",
			after: "if (!apiKey) {\n  writeErr('Not authenticated');\n  process.exit(1);\n}\nrun();\n", want: []string{"auth"}},
		{name: "a refusal logged is not a decision", path: "src/main.ts", before: "run();\n", after: "console.error('Unauthorized');\nrun();\n"},
		{name: "python refusal in words", path: "app/perm.py", before: "x = 1\n", after: "x = 1\nif not ok:\n    raise RuntimeError('Permission denied: admin only')\n", want: []string{"auth"}},
		{name: "a mocked 401 in a test", path: "src/auth.test.ts", before: "it('a', () => {});\n",
			after: "it('a', () => {});\nconst fetch = async () => new Response(null, { status: 401 });\nthrow new Error('Unauthorized');\n"},
		{name: "not found is not a denial", path: "src/mw.ts", after: "res.status(404).end();\n"},
		{name: "a name alone is not auth", path: "src/ui.ts", before: "const a = 1;\n", after: "const a = 1;\nconst token = getToken();\nif (isAdmin) show();\n"},
		{name: "middleware detached", path: "src/app.ts",
			before: express + "app.get('/admin', requireAuth, admin);\n",
			after:  express + "app.get('/admin', admin);\n", want: []string{"old:auth"}},
		{name: "middleware attached", path: "src/app.ts",
			before: express + "app.get('/admin', admin);\n",
			after:  express + "app.get('/admin', requireAuth, admin);\n", want: []string{"auth"}},
		{name: "use(auth) removed", path: "src/app.ts",
			before: express + "app.use(authMiddleware);\napp.get('/x', h);\n",
			after:  express + "app.get('/x', h);\n", want: []string{"old:auth"}},
		{name: "hono bearer auth mounted", path: "src/index.ts", before: "import { Hono } from 'hono';\nconst app = new Hono();\n",
			after: "import { Hono } from 'hono';\nconst app = new Hono();\napp.use('/api/*', bearerAuth({ token }));\n", want: []string{"auth"}},
		{name: "a non-auth middleware", path: "src/app.ts", before: express, after: express + "app.use(express.json());\napp.use(compression());\n"},
		{name: "jwt sign", path: "src/login.ts", after: "import jwt from 'jsonwebtoken';\nconst t = jwt.sign({ sub: id }, secret);\n", want: []string{"auth"}},
		{name: "jwt verify removed", path: "src/mw.ts",
			before: "import jwt from 'jsonwebtoken';\nconst ok = jwt.verify(t, key);\nnext();\n",
			after:  "import jwt from 'jsonwebtoken';\nnext();\n", want: []string{"old:auth"}},
		{name: "python dependency removed", path: "app/main.py",
			before: fastapi + "\n@app.get('/me')\nasync def me(user = Depends(get_current_user)):\n    return user\n",
			after:  fastapi + "\n@app.get('/me')\nasync def me():\n    return None\n", want: []string{"old:auth"}},
		{name: "python second dependency use is not new", path: "app/main.py",
			before: fastapi + "\n@app.get('/me')\nasync def me(user = Depends(get_current_user)):\n    return user\n",
			after:  fastapi + "\n@app.get('/me')\nasync def me(user = Depends(get_current_user)):\n    return user\n\n@app.get('/them')\nasync def them(user = Depends(get_current_user)):\n    return user\n", want: []string{"entry-point"}},
		{name: "python 401", path: "app/deps.py", before: fastapi + "def check(u):\n    return u\n",
			after: fastapi + "def check(u):\n    if u is None:\n        raise HTTPException(status_code=401, detail='no')\n    return u\n", want: []string{"auth"}},
		{name: "python permission error", path: "app/perm.py", before: "def check(u):\n    return u\n",
			after: "def check(u):\n    if not u.admin:\n        raise PermissionError('admin only')\n    return u\n", want: []string{"auth"}},
		{name: "python 404 is not a denial", path: "app/deps.py", before: fastapi, after: fastapi + "raise HTTPException(status_code=404)\n"},
		{name: "login_required decorator removed", path: "app/views.py",
			before: "from django.contrib.auth.decorators import login_required\n\n@login_required\ndef home(request):\n    pass\n",
			after:  "from django.contrib.auth.decorators import login_required\n\ndef home(request):\n    pass\n", want: []string{"old:auth"}},
		{name: "cookie loses samesite", path: "app/views.py",
			before: "resp.set_cookie('session', sid, httponly=True, secure=True, samesite='Lax')\n",
			after:  "resp.set_cookie('session', sid, httponly=True, secure=True)\n", want: []string{"web-config"}},
		{name: "new cookie with sound flags", path: "app/views.py", before: "x = 1\n",
			after: "x = 1\nresp.set_cookie('session', sid, httponly=True, secure=True, samesite='Lax')\n"},
	})
}

// TestTreeFilePaths checks file access whose path comes from the request,
// the command line or a tool call's arguments.
func TestTreeFilePaths(t *testing.T) {
	checkCases(t, []detectCase{
		{name: "write from request", path: "src/upload.ts", after: "import fs from 'node:fs';\nfs.writeFileSync(req.body.name, data);\n", want: []string{"file"}},
		{name: "write from tool args", path: "src/tools/write.ts", after: "import * as fs from 'fs/promises';\nawait fs.writeFile(this.params.file_path, content);\n", want: []string{"file"}},
		{name: "write to a fixed path", path: "src/cache.ts", after: "import fs from 'fs';\nfs.writeFileSync(path.join(dir, 'cache.json'), data);\n"},
		{name: "request named in a string", path: "src/cache.ts", after: "import fs from 'fs';\nfs.writeFileSync('req.body.json', data);\n"},
		{name: "python open from request", path: "app/views.py", after: "def dl(request):\n    return open(request.args['f']).read()\n", want: []string{"file"}},
		{name: "python write from cli", path: "tool/main.py", after: "from pathlib import Path\nPath(args.output).write_text(report)\n", want: []string{"file"}},
		{name: "path one assignment away", path: "src/tools/write.ts",
			after: "import fs from 'node:fs';\nasync function run() {\n  const { file_path } = this.params;\n  fs.writeFileSync(file_path, content);\n}\n", want: []string{"file"}},
		{name: "python path one assignment away", path: "app/views.py",
			after: "def dl(request):\n    name = request.args.get('f')\n    return open(name).read()\n", want: []string{"file"}},
		{name: "local path one assignment away", path: "src/cache.ts",
			after: "import fs from 'fs';\nconst file = path.join(os.tmpdir(), 'x');\nfs.writeFileSync(file, data);\n"},
		{name: "python open defined locally", path: "tool/main.py", after: "def open(x):\n    return x\nopen(request.args['f'])\n"},
	})
}

func TestTreeAuthMessages(t *testing.T) {
	fs := run(t, detectCase{path: "src/app.ts",
		before: "import express from 'express';\nconst app = express();\napp.get('/admin', requireAuth, admin);\n",
		after:  "import express from 'express';\nconst app = express();\napp.get('/admin', admin);\n"})
	if len(fs) != 1 || fs[0].Rule != "js/auth-middleware" || fs[0].Severity != "high" || fs[0].Line != 3 ||
		!strings.Contains(fs[0].Message, "requireAuth detached") {
		t.Fatalf("findings %+v", fs)
	}
	fs = run(t, detectCase{path: "tool/cli.py", before: "import typer\n", after: "import typer\nx = typer.Option(False, '--dangerously-skip-permissions', help='skip --verify')\n"})
	if len(fs) != 1 || fs[0].Rule != "py/cli-unsafe-flag" || !strings.Contains(fs[0].Message, "--dangerously-skip-permissions") {
		t.Fatalf("findings %+v", fs)
	}
	fs = run(t, detectCase{path: "tool/cli.py", after: "import argparse\np = argparse.ArgumentParser()\np.add_argument('-y', '--yolo', action='store_true')\n"})
	if len(fs) != 1 || fs[0].Rule != "py/cli-unsafe-flag" || fs[0].Severity != "high" || !strings.Contains(fs[0].Message, "--yolo") {
		t.Fatalf("findings %+v", fs)
	}
}
