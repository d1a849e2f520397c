package deps

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

const absent = surfacetest.Absent

// want is one expected finding; empty fields are not checked.
type want struct {
	category, rule, severity string
	line                     int
	side                     string
	msg                      []string // substrings of the message
	pkg                      string
}

type detectCase struct {
	name          string
	path          string
	before, after string
	want          []want // exactly these findings, in any order
}

func runCases(t *testing.T, cases []detectCase) {
	t.Helper()
	d := New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !d.Applies(tc.path) {
				t.Fatalf("Applies(%q) = false", tc.path)
			}
			c := surfacetest.Change(t, tc.path, tc.before, tc.after)
			got := d.Detect(c)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), dump(got))
			}
			used := make([]bool, len(got))
		next:
			for _, w := range tc.want {
				for i, f := range got {
					if !used[i] && matches(f, w) {
						used[i] = true
						continue next
					}
				}
				t.Errorf("no finding matches %+v in:\n%s", w, dump(got))
			}
		})
	}
}

func matches(f surface.Finding, w want) bool {
	if w.category != "" && f.Category != w.category || w.rule != "" && f.Rule != w.rule ||
		w.severity != "" && f.Severity != w.severity || w.line != 0 && f.Line != w.line ||
		w.pkg != "" && f.Package != w.pkg {
		return false
	}
	side := w.side
	if side == "" {
		side = surface.SideNew
	}
	if f.Side != side {
		return false
	}
	for _, m := range w.msg {
		if !strings.Contains(f.Message, m) {
			return false
		}
	}
	return true
}

func dump(fs []surface.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s %s:%d (%s) %q pkg=%s token=%s ev=%q\n", f.Category, f.Rule, f.Severity,
			f.File, f.Line, f.Side, f.Message, f.Package, f.Token, f.Evidence)
	}
	return b.String()
}

const goModBase = `module example.com/app

go 1.22

require (
	github.com/go-chi/chi/v5 v5.0.12
	golang.org/x/net v0.25.0
)
`

func TestGoMod(t *testing.T) {
	runCases(t, []detectCase{
		{name: "added require", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "\tgolang.org/x/net v0.25.0\n", "\tgithub.com/google/uuid v1.6.0\n\tgolang.org/x/net v0.25.0\n", 1),
			want: []want{{category: "dependency", rule: "deps/gomod-added", severity: "medium", line: 7,
				msg: []string{"adds github.com/google/uuid v1.6.0"}, pkg: "pkg:golang/github.com/google/uuid@v1.6.0"}}},
		{name: "upgrade", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "chi/v5 v5.0.12", "chi/v5 v5.2.1", 1),
			want: []want{{category: "dependency", rule: "deps/gomod-upgraded", severity: "low", line: 6,
				msg: []string{"upgrades github.com/go-chi/chi/v5 v5.0.12 → v5.2.1"}, pkg: "pkg:golang/github.com/go-chi/chi/v5@v5.2.1"}}},
		{name: "a new major version is one upgrade", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "github.com/go-chi/chi/v5 v5.0.12", "github.com/go-chi/chi/v6 v6.0.0", 1),
			want: []want{{category: "dependency", rule: "deps/gomod-upgraded", line: 6,
				msg: []string{"github.com/go-chi/chi/v6", "v5.0.12 → v6.0.0"}}}},
		{name: "downgrade", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "net v0.25.0", "net v0.7.0", 1),
			want: []want{{category: "dependency", rule: "deps/gomod-downgraded", severity: "high", line: 7,
				msg: []string{"downgrades golang.org/x/net v0.25.0 → v0.7.0"}}}},
		{name: "removed", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "\tgolang.org/x/net v0.25.0\n", "", 1),
			want: []want{{category: "dependency", rule: "deps/gomod-removed", severity: "low", line: 7, side: "old",
				msg: []string{"removes golang.org/x/net v0.25.0"}}}},
		{name: "replace with fork", path: "go.mod", before: goModBase,
			after: goModBase + "\nreplace golang.org/x/net => github.com/evil/net v0.25.1\n",
			want: []want{{category: "dependency-source", rule: "deps/gomod-replace", severity: "high", line: 10,
				msg: []string{"replaces golang.org/x/net with fork github.com/evil/net v0.25.1"}, pkg: "pkg:golang/github.com/evil/net@v0.25.1"}}},
		{name: "replace with local path", path: "go.mod", before: goModBase,
			after: goModBase + "\nreplace github.com/go-chi/chi/v5 => ../chi\n",
			want: []want{{category: "dependency-source", rule: "deps/gomod-replace", severity: "high", line: 10,
				msg: []string{"replaces github.com/go-chi/chi/v5 with local path ../chi"}}}},
		{name: "a workspace crate by path is the repository's own", path: "crates/deployment/Cargo.toml",
			before: "[package]\nname = \"deployment\"\n\n[dependencies]\n",
			after:  "[package]\nname = \"deployment\"\n\n[dependencies]\ngit = { path = \"../git\" }\n", want: []want{}},
		{name: "a workspace-inherited crate", path: "crates/git/Cargo.toml",
			before: "[package]\nname = \"git\"\n\n[dependencies]\n",
			after:  "[package]\nname = \"git\"\n\n[dependencies]\ngit2 = { workspace = true }\ntracing.workspace = true\n", want: []want{}},
		{name: "a path out of the repository is a source", path: "Cargo.toml",
			before: "[package]\nname = \"app\"\n\n[dependencies]\n",
			after:  "[package]\nname = \"app\"\n\n[dependencies]\nfork = { path = \"../fork\" }\n",
			want:   []want{{category: "dependency-source", rule: "deps/cargo-source", severity: "high", line: 5, msg: []string{"fork"}}}},
		{name: "a workspace package", path: "packages/web/package.json",
			before: "{\n  \"dependencies\": {\n    \"react\": \"^18.0.0\"\n  }\n}\n",
			after:  "{\n  \"dependencies\": {\n    \"@vibe/ui\": \"workspace:*\",\n    \"react\": \"^18.0.0\"\n  }\n}\n", want: []want{}},
		{name: "toolchain", path: "go.mod", before: goModBase + "\ntoolchain go1.22.1\n",
			after: goModBase + "\ntoolchain go1.23.4\n",
			want: []want{{category: "dependency", rule: "deps/gomod-upgraded", severity: "low", line: 10,
				msg: []string{"go toolchain go1.22.1 → go1.23.4"}}}},
		{name: "pseudo-version upgrade", path: "go.mod",
			before: "module m\n\nrequire golang.org/x/exp v0.0.0-20231006140011-7918f672742d\n",
			after:  "module m\n\nrequire golang.org/x/exp v0.0.0-20260410095643-746e56fc9e2f\n",
			want:   []want{{rule: "deps/gomod-upgraded", line: 3}}},
		{name: "go line bump only", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "go 1.22", "go 1.23", 1)},
		{name: "reformatted requires", path: "go.mod", before: goModBase,
			after: "module example.com/app\n\ngo 1.22\n\n// routing\nrequire github.com/go-chi/chi/v5 v5.0.12\n\nrequire golang.org/x/net v0.25.0\n"},
		{name: "a module of an owner it already uses is low", path: "go.mod", before: goModBase,
			after: strings.Replace(goModBase, "\tgolang.org/x/net v0.25.0\n", "\tgolang.org/x/net v0.25.0\n\tgolang.org/x/sync v0.7.0\n", 1),
			want:  []want{{rule: "deps/gomod-added", severity: "low", msg: []string{"golang.org/x/sync", "golang.org/x/"}}}},
		{name: "new go.mod", path: "svc/go.mod", before: absent,
			after: "module example.com/svc\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
			want:  []want{{rule: "deps/gomod-added", line: 5, msg: []string{"adds github.com/lib/pq v1.10.9"}}}},
		{name: "broken go.mod", path: "go.mod", before: goModBase, after: goModBase + "\nrequire (\n",
			want: []want{{category: "dependency", rule: "deps/gomod-unparsed", severity: "low", msg: []string{"could not parse go.mod"}}}},
	})
}

const pkgJSON = `{
  "name": "web",
  "version": "1.0.0",
  "scripts": {
    "build": "tsc",
    "test": "jest"
  },
  "dependencies": {
    "express": "^4.18.2",
    "lodash": "4.17.21"
  },
  "devDependencies": {
    "jest": "^29.7.0"
  }
}
`

func TestPackageJSON(t *testing.T) {
	runCases(t, []detectCase{
		{name: "added dependency", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"lodash": "4.17.21"`, `"lodash": "4.17.21",
    "axios": "^1.6.8"`, 1),
			want: []want{{category: "dependency", rule: "deps/npm-added", severity: "medium", line: 11,
				msg: []string{"adds axios ^1.6.8"}, pkg: "pkg:npm/axios@1.6.8"}}},
		{name: "a second package of a scope it already uses is low", path: "package.json",
			before: strings.Replace(pkgJSON, `"lodash": "4.17.21"`, `"lodash": "4.17.21",
    "@radix-ui/react-slot": "^1.2.3"`, 1),
			after: strings.Replace(pkgJSON, `"lodash": "4.17.21"`, `"lodash": "4.17.21",
    "@radix-ui/react-slot": "^1.2.3",
    "@radix-ui/react-switch": "^1.2.6",
    "@sentry/react": "^10.10.0"`, 1),
			want: []want{{category: "dependency", rule: "deps/npm-added", severity: "low", line: 12, msg: []string{"@radix-ui/react-switch", "already depends on (@radix-ui/…)"}},
				{category: "dependency", rule: "deps/npm-added", severity: "medium", line: 13, msg: []string{"adds @sentry/react"}}}},
		{name: "a range narrowed on the same floor is low", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"express": "^4.18.2"`, `"express": "~4.18.2"`, 1),
			want:  []want{{category: "dependency", rule: "deps/npm-changed", severity: "low", line: 9, msg: []string{"a narrower range"}}}},
		{name: "a floor raised under another kind of range is an upgrade", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"express": "^4.18.2"`, `"express": "~4.21.2"`, 1),
			want:  []want{{category: "dependency", rule: "deps/npm-upgraded", severity: "low", line: 9}}},
		{name: "a range widened stays medium", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"express": "^4.18.2"`, `"express": ">=4.18.2"`, 1),
			want:  []want{{category: "dependency", rule: "deps/npm-changed", severity: "medium", line: 9}}},
		{name: "dev dependency is low", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"jest": "^29.7.0"`, `"jest": "^29.7.0",
    "prettier": "^3.2.5"`, 1),
			want: []want{{category: "dependency", rule: "deps/npm-added", severity: "low", line: 14, msg: []string{"prettier"}}}},
		{name: "downgrade", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"lodash": "4.17.21"`, `"lodash": "4.17.4"`, 1),
			want: []want{{category: "dependency", rule: "deps/npm-downgraded", severity: "high", line: 10,
				msg: []string{"downgrades lodash 4.17.21 → 4.17.4"}, pkg: "pkg:npm/lodash@4.17.4"}}},
		{name: "git spec", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"lodash": "4.17.21"`, `"lodash": "4.17.21",
    "left-pad": "git+https://github.com/someone/left-pad.git#main"`, 1),
			want: []want{{category: "dependency-source", rule: "deps/npm-source", severity: "high", line: 11,
				msg: []string{"left-pad", "git+https://github.com/someone/left-pad.git"}}}},
		{name: "re-sourced to github shorthand", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"express": "^4.18.2"`, `"express": "expressjs/express#5.0"`, 1),
			want:  []want{{category: "dependency-source", rule: "deps/npm-source", line: 9, msg: []string{"re-sources express"}}}},
		{name: "postinstall", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"test": "jest"`, `"test": "jest",
    "postinstall": "node scripts/setup.js"`, 1),
			want: []want{{category: "install-script", rule: "deps/npm-lifecycle-script", severity: "high", line: 7,
				msg: []string{"postinstall", "node scripts/setup.js"}}}},
		{name: "non-lifecycle script", path: "package.json", before: pkgJSON,
			after: strings.Replace(pkgJSON, `"test": "jest"`, `"test": "jest",
    "lint": "eslint ."`, 1)},
		{name: "reformatted and reordered", path: "package.json", before: pkgJSON,
			after: `{"name":"web","version":"1.0.1","description":"the shop",
"devDependencies":{"jest":"^29.7.0"},
"dependencies":{"lodash":"4.17.21","express":"^4.18.2"},
"scripts":{"test":"jest","build":"tsc"}}
`},
		{name: "malformed", path: "package.json", before: pkgJSON, after: `{"dependencies": {"a": `,
			want: []want{{rule: "deps/npm-unparsed", severity: "low"}}},
	})
}

func TestLockfiles(t *testing.T) {
	lockBefore := `{
  "name": "web",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "web"},
    "node_modules/lodash": {
      "version": "4.17.21",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"
    }
  }
}
`
	lockAfter := `{
  "name": "web",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "web"},
    "node_modules/esbuild": {
      "version": "0.20.2",
      "resolved": "https://registry.npmjs.org/esbuild/-/esbuild-0.20.2.tgz",
      "hasInstallScript": true
    },
    "node_modules/lodash": {
      "version": "4.17.21",
      "resolved": "https://npm.evil.example/lodash/-/lodash-4.17.21.tgz"
    }
  }
}
`
	yarnBefore := `# yarn lockfile v1


lodash@^4.17.20:
  version "4.17.21"
  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#abc"
  integrity sha512-x
`
	yarnAfter := yarnBefore + `
"@scope/tool@^1.0.0":
  version "1.0.3"
  resolved "https://registry.yarnpkg.com/@scope/tool/-/tool-1.0.3.tgz#def"
`
	pnpmBefore := `lockfileVersion: '9.0'

packages:

  lodash@4.17.21:
    resolution: {integrity: sha512-x}
`
	pnpmAfter := pnpmBefore + `
  sharp@0.33.2:
    resolution: {integrity: sha512-y, tarball: https://cdn.example.net/sharp-0.33.2.tgz}
    requiresBuild: true
`
	runCases(t, []detectCase{
		{name: "package-lock install script and foreign host", path: "package-lock.json", before: lockBefore, after: lockAfter,
			want: []want{
				{category: "dependency", rule: "deps/npm-lock-added", severity: "low", line: 6, msg: []string{"adds esbuild 0.20.2"}},
				{category: "install-script", rule: "deps/npm-lock-install-script", severity: "high", line: 6,
					msg: []string{"esbuild 0.20.2", "install script"}, pkg: "pkg:npm/esbuild@0.20.2"},
				{category: "dependency-source", rule: "deps/npm-lock-source", severity: "high", line: 11,
					msg: []string{"lodash", "npm.evil.example"}},
			}},
		{name: "yarn new package is low", path: "yarn.lock", before: yarnBefore, after: yarnAfter,
			want: []want{{category: "dependency", rule: "deps/yarn-lock-added", severity: "low", line: 9,
				msg: []string{"adds @scope/tool 1.0.3"}, pkg: "pkg:npm/@scope/tool@1.0.3"}}},
		{name: "yarn upgrade", path: "yarn.lock", before: yarnBefore,
			after: strings.ReplaceAll(yarnBefore, "4.17.21", "4.17.22"),
			want:  []want{{rule: "deps/yarn-lock-upgraded", severity: "low", line: 5, msg: []string{"4.17.21 → 4.17.22"}}}},
		{name: "pnpm build and tarball", path: "pnpm-lock.yaml", before: pnpmBefore, after: pnpmAfter,
			want: []want{
				{category: "dependency-source", rule: "deps/pnpm-lock-source", line: 8, msg: []string{"sharp", "cdn.example.net"}},
				{category: "install-script", rule: "deps/pnpm-lock-install-script", line: 8, msg: []string{"sharp 0.33.2"}},
			}},
	})
}

func TestPython(t *testing.T) {
	req := "flask==3.0.2\nrequests==2.31.0\n# http\ngunicorn>=21\n"
	pyproject := `[project]
name = "svc"
version = "0.1.0"
dependencies = [
  "fastapi>=0.110",
  "pydantic==2.6.4",
]

[project.optional-dependencies]
dev = ["pytest"]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
`
	poetry := `[tool.poetry]
name = "svc"

[tool.poetry.dependencies]
python = "^3.11"
django = "^5.0"
`
	runCases(t, []detectCase{
		{name: "added pinned", path: "requirements.txt", before: req, after: req + "boto3==1.34.70\n",
			want: []want{{category: "dependency", rule: "deps/pip-added", severity: "medium", line: 5,
				msg: []string{"adds boto3 1.34.70"}, pkg: "pkg:pypi/boto3@1.34.70"}}},
		{name: "added unpinned", path: "requirements/prod.txt", before: req, after: req + "celery\n",
			want: []want{{rule: "deps/pip-added", line: 5, msg: []string{"adds celery (any version)"}, pkg: "pkg:pypi/celery"}}},
		{name: "extra index url", path: "requirements.txt", before: req,
			after: "--extra-index-url https://pypi.internal.example/simple\n" + req,
			want: []want{{category: "dependency-source", rule: "deps/pip-registry", severity: "high", line: 1,
				msg: []string{"https://pypi.internal.example/simple"}}}},
		{name: "vcs requirement", path: "requirements.txt", before: req,
			after: req + "git+https://github.com/someone/payments.git@main#egg=payments\n",
			want:  []want{{category: "dependency-source", rule: "deps/pip-source", line: 5, msg: []string{"payments", "git+https://github.com/someone/payments.git"}}}},
		{name: "unpinned", path: "requirements.txt", before: req, after: strings.Replace(req, "requests==2.31.0", "requests", 1),
			want: []want{{category: "dependency", rule: "deps/pip-unpinned", severity: "medium", line: 2, msg: []string{"unpins requests (was 2.31.0)"}}}},
		{name: "reordered and commented", path: "constraints.txt", before: req,
			after: "# pinned for prod\ngunicorn>=21   # server\nrequests==2.31.0\nFlask==3.0.2\n"},
		{name: "downgrade", path: "requirements-dev.txt", before: req, after: strings.Replace(req, "flask==3.0.2", "flask==2.0.0", 1),
			want: []want{{rule: "deps/pip-downgraded", severity: "high", line: 1, msg: []string{"downgrades flask 3.0.2 → 2.0.0"}}}},
		{name: "pyproject added and build-system", path: "pyproject.toml", before: pyproject,
			after: strings.Replace(strings.Replace(pyproject, `"pydantic==2.6.4",`, `"pydantic==2.6.4",
  "httpx>=0.27",`, 1), `requires = ["hatchling"]`, `requires = ["hatchling", "hatch-evil-hook>=1.0"]`, 1),
			want: []want{
				{category: "dependency", rule: "deps/pyproject-added", line: 7, msg: []string{"adds httpx >=0.27"}},
				{category: "install-script", rule: "deps/pyproject-build-system", severity: "high", line: 14, msg: []string{"hatch-evil-hook"}},
			}},
		{name: "pyproject description only", path: "pyproject.toml", before: pyproject,
			after: strings.Replace(pyproject, `version = "0.1.0"`, "version = \"0.1.0\"\ndescription = \"uses requests and npm install evil\"", 1)},
		{name: "new pyproject with standard backend", path: "lib/pyproject.toml", before: absent, after: pyproject,
			want: []want{
				{rule: "deps/pyproject-added", msg: []string{"fastapi"}},
				{rule: "deps/pyproject-added", msg: []string{"pydantic"}},
				{rule: "deps/pyproject-added", msg: []string{"pytest"}},
			}},
		{name: "poetry git dependency", path: "pyproject.toml", before: poetry,
			after: poetry + "internal-sdk = { git = \"https://github.com/acme/sdk.git\", branch = \"main\" }\n",
			want: []want{{category: "dependency-source", rule: "deps/pyproject-source", line: 7,
				msg: []string{"internal-sdk", "git https://github.com/acme/sdk.git branch main"}}}},
		{name: "pipfile source", path: "Pipfile",
			before: "[[source]]\nurl = \"https://pypi.org/simple\"\nname = \"pypi\"\n\n[packages]\nrequests = \"*\"\n",
			after:  "[[source]]\nurl = \"https://pypi.org/simple\"\nname = \"pypi\"\n\n[[source]]\nurl = \"https://mirror.example.org/simple\"\nname = \"mirror\"\n\n[packages]\nrequests = \"*\"\n",
			want:   []want{{category: "dependency-source", rule: "deps/pipfile-registry", line: 6}}},
	})
}

const cargoToml = `[package]
name = "svc"
version = "0.1.0"

[dependencies]
serde = "1"
tokio = { version = "1.36", features = ["full"] }
`

func TestCargoGemJVM(t *testing.T) {
	gemfile := "source \"https://rubygems.org\"\n\ngem \"rails\", \"~> 7.1.0\"\n\ngroup :development, :test do\n  gem \"rspec-rails\"\nend\n"
	pom := `<project>
  <properties>
    <jackson.version>2.16.1</jackson.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
  </dependencies>
</project>
`
	gradle := `plugins {
    id("java")
}

repositories {
    mavenCentral()
}

dependencies {
    implementation("com.google.guava:guava:33.0.0-jre")
    testImplementation("org.junit.jupiter:junit-jupiter:5.10.2")
}
`
	runCases(t, []detectCase{
		{name: "cargo added", path: "Cargo.toml", before: cargoToml, after: cargoToml + "reqwest = \"0.12\"\n",
			want: []want{{rule: "deps/cargo-added", severity: "medium", line: 8, msg: []string{"adds reqwest 0.12"}, pkg: "pkg:cargo/reqwest@0.12"}}},
		{name: "cargo git and patch", path: "Cargo.toml", before: cargoToml,
			after: cargoToml + "ring = { git = \"https://github.com/fork/ring\", rev = \"abc123\" }\n\n[patch.crates-io]\nserde = { path = \"../serde\" }\n",
			want: []want{
				{category: "dependency-source", rule: "deps/cargo-source", line: 8, msg: []string{"ring", "git https://github.com/fork/ring rev abc123"}},
				{category: "dependency-source", rule: "deps/cargo-patch", line: 11, msg: []string{"patches serde", "../serde"}},
			}},
		{name: "cargo reordered tables", path: "Cargo.toml", before: cargoToml,
			after: "[dependencies]\ntokio = { features = [\"full\"], version = \"1.36\" }\nserde = \"1\"\n\n[package]\nname = \"svc\"\nversion = \"0.2.0\"\n"},
		{name: "gem github", path: "Gemfile", before: gemfile,
			after: strings.Replace(gemfile, "gem \"rails\", \"~> 7.1.0\"\n", "gem \"rails\", \"~> 7.1.0\"\ngem \"sidekiq-pro\", github: \"someone/sidekiq-pro\", branch: \"main\"\n", 1),
			want:  []want{{category: "dependency-source", rule: "deps/gem-source", line: 4, msg: []string{"sidekiq-pro", "GitHub someone/sidekiq-pro branch main"}}}},
		{name: "gem dev group is low", path: "Gemfile", before: gemfile,
			after: strings.Replace(gemfile, "  gem \"rspec-rails\"\n", "  gem \"rspec-rails\"\n  gem \"pry\", \"0.14.2\"\n", 1),
			want:  []want{{rule: "deps/gem-added", severity: "low", line: 7, msg: []string{"adds pry 0.14.2"}, pkg: "pkg:gem/pry@0.14.2"}}},
		{name: "maven property downgrade", path: "pom.xml", before: pom, after: strings.Replace(pom, "2.16.1", "2.9.8", 1),
			want: []want{{rule: "deps/maven-downgraded", severity: "high", line: 3,
				msg: []string{"com.fasterxml.jackson.core:jackson-databind 2.16.1 → 2.9.8"}, pkg: "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8"}}},
		{name: "maven plugin and repository", path: "pom.xml", before: pom,
			after: strings.Replace(pom, "</project>", `  <repositories>
    <repository>
      <id>corp</id>
      <url>https://maven.corp.example/releases</url>
    </repository>
  </repositories>
  <build>
    <plugins>
      <plugin>
        <groupId>com.github.eirslett</groupId>
        <artifactId>frontend-maven-plugin</artifactId>
        <version>1.15.0</version>
      </plugin>
    </plugins>
  </build>
</project>`, 1),
			want: []want{
				{category: "dependency-source", rule: "deps/maven-registry", line: 15, msg: []string{"https://maven.corp.example/releases"}},
				{category: "install-script", rule: "deps/maven-build-plugin", line: 20, msg: []string{"com.github.eirslett:frontend-maven-plugin 1.15.0"}},
			}},
		{name: "gradle dep, plugin, repository", path: "build.gradle.kts", before: gradle,
			after: strings.Replace(strings.Replace(strings.Replace(gradle,
				`    id("java")`, "    id(\"java\")\n    id(\"com.github.johnrengelman.shadow\") version \"8.1.1\"", 1),
				"    mavenCentral()", "    mavenCentral()\n    maven { url = uri(\"https://jitpack.io\") }", 1),
				`    implementation("com.google.guava:guava:33.0.0-jre")`, "    implementation(\"com.google.guava:guava:33.0.0-jre\")\n    implementation(\"io.ktor:ktor-client-core:2.3.9\")", 1),
			want: []want{
				{category: "install-script", rule: "deps/gradle-build-plugin", line: 3, msg: []string{"com.github.johnrengelman.shadow 8.1.1"}},
				{category: "dependency-source", rule: "deps/gradle-registry", line: 8, msg: []string{"https://jitpack.io"}},
				{category: "dependency", rule: "deps/gradle-added", line: 13, msg: []string{"io.ktor:ktor-client-core 2.3.9"}, pkg: "pkg:maven/io.ktor/ktor-client-core@2.3.9"},
			}},
		{name: "gradle publishing repository is not a source", path: "build.gradle", before: gradle,
			after: gradle + "\npublishing {\n    repositories {\n        maven { url 'https://nexus.example/releases' }\n    }\n}\n"},
		{name: "composer", path: "composer.json",
			before: "{\n  \"require\": {\n    \"php\": \"^8.2\",\n    \"monolog/monolog\": \"^3.5\"\n  }\n}\n",
			after:  "{\n  \"require\": {\n    \"php\": \"^8.3\",\n    \"monolog/monolog\": \"^3.5\",\n    \"guzzlehttp/guzzle\": \"^7.8\"\n  },\n  \"repositories\": [{\"type\": \"vcs\", \"url\": \"https://github.com/someone/guzzle\"}],\n  \"scripts\": {\n    \"post-install-cmd\": \"php bin/setup.php\",\n    \"test\": \"phpunit\"\n  }\n}\n",
			want: []want{
				{category: "dependency", rule: "deps/composer-added", line: 5, pkg: "pkg:composer/guzzlehttp/guzzle@7.8"},
				{category: "dependency-source", rule: "deps/composer-registry", line: 7, msg: []string{"vcs https://github.com/someone/guzzle"}},
				{category: "install-script", rule: "deps/composer-install-script", line: 9, msg: []string{"post-install-cmd", "php bin/setup.php"}},
			}},
	})
}

func TestBuildRS(t *testing.T) {
	d := New()
	c := surfacetest.Change(t, "build.rs", absent, "fn main() {\n    println!(\"cargo:rerun-if-changed=build.rs\");\n}\n")
	got := d.Detect(c)
	if len(got) != 1 || got[0].Category != "install-script" || got[0].Rule != "deps/cargo-build-script" || got[0].Line != 1 {
		t.Fatalf("new build.rs:\n%s", dump(got))
	}
	c = surfacetest.Change(t, "build.rs", "fn main() {}\n", "fn main() { println!(\"x\"); }\n")
	if got := d.Detect(c); len(got) != 0 {
		t.Fatalf("edited build.rs is not new:\n%s", dump(got))
	}
}

func TestImagesActionsInfra(t *testing.T) {
	dockerfile := "FROM golang:1.22-alpine AS build\nWORKDIR /src\nRUN go build -o /app .\n\nFROM gcr.io/distroless/static@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nCOPY --from=build /app /app\n"
	workflow := "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/setup\n"
	tf := `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.5.0"
}
`
	chart := "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 18.6.1\n    repository: https://charts.bitnami.com/bitnami\n"
	runCases(t, []detectCase{
		{name: "docker latest", path: "Dockerfile", before: dockerfile,
			after: strings.Replace(dockerfile, "golang:1.22-alpine", "golang:latest", 1),
			want: []want{{category: "dependency-source", rule: "deps/docker-unpinned", severity: "high", line: 1,
				msg: []string{"golang"}, pkg: "pkg:docker/golang@latest"}}},
		{name: "docker tag upgrade", path: "Dockerfile", before: dockerfile,
			after: strings.Replace(dockerfile, "golang:1.22-alpine", "golang:1.23-alpine", 1),
			want:  []want{{category: "dependency", rule: "deps/docker-upgraded", severity: "low", line: 1, msg: []string{"golang 1.22-alpine → 1.23-alpine"}}}},
		{name: "docker new stage with tag", path: "build/app.Dockerfile", before: dockerfile,
			after: dockerfile + "\nFROM node:20.11-bookworm AS assets\n",
			want:  []want{{category: "dependency", rule: "deps/docker-added", severity: "medium", line: 8, msg: []string{"adds base image node 20.11-bookworm"}}}},
		{name: "docker ARG-resolved image and stage reference", path: "Dockerfile",
			before: "ARG GO=1.22\nFROM golang:${GO} AS b\nFROM b\n", after: "ARG GO=1.22\nFROM golang:${GO} AS b\nFROM b AS final\nRUN true\n"},
		{name: "new third-party action", path: ".github/workflows/ci.yml", before: workflow,
			after: workflow + "      - uses: tj-actions/changed-files@v44\n      - uses: docker/login-action@9780b0c442fbb1117ed29e0efdff1e18412f7567 # v3.3.0\n",
			want: []want{
				{category: "dependency-source", rule: "deps/actions-unpinned", severity: "high", line: 9, msg: []string{"tj-actions/changed-files"}, pkg: "pkg:githubactions/tj-actions/changed-files@v44"},
				{category: "dependency", rule: "deps/actions-added", severity: "low", line: 10, msg: []string{"docker/login-action v3.3.0"}},
			}},
		{name: "pinned action bump named by its release page", path: ".github/workflows/ci.yml",
			before: workflow + "      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # https://github.com/actions/setup-node/releases/tag/v4.4.0\n",
			after:  workflow + "      - uses: actions/setup-node@48b55a011bda9f5d6aeb4c2d9c7362e8dae4041e # https://github.com/actions/setup-node/releases/tag/v6.4.0\n",
			want:   []want{{category: "dependency", rule: "deps/actions-upgraded", severity: "low", line: 9, msg: []string{"v4.4.0 → v6.4.0"}}}},
		{name: "first-party action bump", path: ".github/workflows/ci.yml", before: workflow,
			after: strings.Replace(workflow, "checkout@v4", "checkout@v3", 1),
			want:  []want{{rule: "deps/actions-downgraded", severity: "high", line: 7}}},
		{name: "local action is not a finding", path: "action.yml", before: "runs:\n  using: composite\n  steps:\n    - run: echo\n",
			after: "runs:\n  using: composite\n  steps:\n    - run: echo\n    - uses: ./tools/lint\n"},
		{name: "terraform git module and provider bump", path: "infra/main.tf", before: tf,
			after: strings.Replace(tf, `version = "~> 5.0"`, `version = "~> 5.40"`, 1) + "\nmodule \"bucket\" {\n  source = \"git::https://github.com/someone/tf-bucket.git?ref=main\"\n}\n",
			want: []want{
				{category: "dependency", rule: "deps/terraform-upgraded", line: 5, msg: []string{"hashicorp/aws ~> 5.0 → ~> 5.40"}},
				{category: "dependency-source", rule: "deps/terraform-source", line: 15, msg: []string{"bucket", "git::https://github.com/someone/tf-bucket.git"}},
			}},
		{name: "terraform registry module without version", path: "main.tf", before: tf,
			after: tf + "\nmodule \"eks\" {\n  source = \"terraform-aws-modules/eks/aws\"\n}\n",
			want:  []want{{category: "dependency-source", rule: "deps/terraform-unversioned", line: 15, msg: []string{"terraform-aws-modules/eks/aws"}, pkg: "pkg:terraform/terraform-aws-modules/eks/aws"}}},
		{name: "helm dependency added and re-sourced", path: "charts/app/Chart.yaml", before: chart,
			after: strings.Replace(chart, "https://charts.bitnami.com/bitnami", "https://charts.example.net/mirror", 1) +
				"  - name: postgresql\n    version: 14.2.3\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
			want: []want{
				{category: "dependency-source", rule: "deps/helm-source", line: 5, msg: []string{"redis", "https://charts.example.net/mirror"}},
				{category: "dependency", rule: "deps/helm-added", line: 8, msg: []string{"postgresql 14.2.3"}, pkg: "pkg:helm/postgresql@14.2.3"},
			}},
	})
}

func TestAppliesAndNegatives(t *testing.T) {
	d := New()
	for _, p := range []string{"README.md", "main.go", "docs/install.txt", "package.json.bak", ".github/dependabot.yml"} {
		if d.Applies(p) {
			t.Errorf("Applies(%q) = true", p)
		}
	}
	if d.Name() != "deps" {
		t.Errorf("Name() = %q", d.Name())
	}
}

func TestVersionCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		cmp  int
		ok   bool
	}{
		{"1.2.3", "1.10.0", -1, true}, {"v1.2", "v1.2.0", 0, true}, {"4.17.21", "4.17.4", 1, true},
		{"1.0.0-rc.1", "1.0.0", -1, true}, {"2.0.0rc1", "2.0.0", -1, true}, {"1.22-alpine", "1.22-bookworm", 0, false},
		{"^1.2.0", "~1.3.0", -1, true}, {"<2.0", ">=1.0", 0, false}, {"==2.31.0", "2.32.0", -1, true}, {">=1,<2", ">=1,<3", 0, false},
		{"latest", "1.0", 0, false}, {"go1.22.1", "go1.23.0", -1, true},
		{"9.0.1", "^11.1.1", -1, true}, {"^2.3.0", "2.3.0", 0, true}, {">=2.0", "1.9", 1, true}, {"<2.0", "1.9", 0, false},
	} {
		cmp, ok := compareSpecs(tc.a, tc.b)
		if ok != tc.ok || (ok && cmp != tc.cmp) {
			t.Errorf("compareSpecs(%q, %q) = %d, %v; want %d, %v", tc.a, tc.b, cmp, ok, tc.cmp, tc.ok)
		}
	}
}

func TestRaisesRange(t *testing.T) {
	for _, tc := range []struct {
		before, after string
		want          bool
	}{
		{">=0.3.0,<0.4.0", ">=0.4.0,<0.5.0", true},
		{">=0.2.8,<0.4.0", ">=0.3.0,<0.4.0", true},
		{">=1.19.0,<2.0.0,!=1.21.1", ">=1.23.1", false}, // the ceiling went
		{">=0.4.0,<0.5.0", ">=0.3.0,<0.4.0", false},
		{">=1.0", ">=2.0", false}, // not a bounded range: compareSpecs orders it
	} {
		if got := raisesRange(tc.before, tc.after); got != tc.want {
			t.Errorf("raisesRange(%q, %q) = %v, want %v", tc.before, tc.after, got, tc.want)
		}
	}
}
