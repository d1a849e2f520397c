package deps

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
)

// fakeChange builds a change without git: every old line removed, every
// new line added. Fuzzing through the git binary would be far too slow.
func fakeChange(path string, before, after []byte) *surface.Change {
	f := &diff.File{OldPath: path, NewPath: path, Status: diff.StatusModified}
	switch {
	case before == nil:
		f.OldPath, f.Status = "", diff.StatusAdded
	case after == nil:
		f.NewPath, f.Status = "", diff.StatusDeleted
	}
	h := diff.Hunk{OldStart: 1, NewStart: 1}
	if before != nil {
		for i, l := range strings.Split(string(before), "\n") {
			h.Lines = append(h.Lines, diff.Line{Kind: diff.LineDeleted, Text: l, OldNo: i + 1})
		}
	}
	if after != nil {
		for i, l := range strings.Split(string(after), "\n") {
			h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, Text: l, NewNo: i + 1})
		}
	}
	f.Hunks = []diff.Hunk{h}
	return &surface.Change{File: f, Before: before, After: after}
}

// fuzzManifest feeds random before/after pairs to one ecosystem. The parser
// is called bare first, so that a panic the detector would swallow still
// fails the fuzz run.
func fuzzManifest(f *testing.F, path string, seeds ...string) {
	eco := ecosystemFor(path)
	if eco == nil {
		f.Fatalf("no ecosystem for %s", path)
	}
	for i, s := range seeds {
		f.Add([]byte(s), []byte(seeds[(i+1)%len(seeds)]), uint8(0))
		f.Add([]byte(s), []byte(s+"\n"), uint8(1))
	}
	d := New()
	f.Fuzz(func(t *testing.T, before, after []byte, mode uint8) {
		if eco.parse != nil {
			eco.parse(before)
			eco.parse(after)
		}
		switch mode % 3 {
		case 1:
			before = nil
		case 2:
			after = nil
		}
		for _, fd := range d.Detect(fakeChange(path, before, after)) {
			if !strings.HasPrefix(fd.Rule, "deps/") || surface.SeverityRank(fd.Severity) < 0 || fd.Line < 1 || fd.Message == "" {
				t.Fatalf("malformed finding %+v", fd)
			}
			switch fd.Category {
			case "dependency", "dependency-source", "install-script":
			default:
				t.Fatalf("category %q", fd.Category)
			}
		}
	})
}

func FuzzGoMod(f *testing.F) {
	fuzzManifest(f, "go.mod", goModBase, goModBase+"\nreplace golang.org/x/net => ../net\n\ntoolchain go1.23.1\n",
		"module m\nrequire (\n\ta v1\n")
}

func FuzzPackageJSON(f *testing.F) {
	fuzzManifest(f, "package.json", pkgJSON, `{"dependencies":{"a":"github:x/y","b":{"c":1}},"scripts":{"postinstall":"x"},"bundledDependencies":["a"]}`, `{"dependencies": [`)
}

func FuzzPackageLock(f *testing.F) {
	fuzzManifest(f, "package-lock.json",
		`{"packages":{"":{},"node_modules/a":{"version":"1.0.0","resolved":"http://x/a.tgz","hasInstallScript":true}}}`,
		`{"lockfileVersion":1,"dependencies":{"a":{"version":"1","dependencies":{"b":{"version":"2","resolved":"git+ssh://x"}}}}}`)
}

func FuzzYarnLock(f *testing.F) {
	fuzzManifest(f, "yarn.lock", "a@^1:\n  version \"1.0.0\"\n  resolved \"https://registry.yarnpkg.com/a\"\n",
		"\"@s/b@npm:^2\":\n  version: 2.0.0\n  resolution: \"@s/b@https://x/b.tgz\"\n", "@:\n  resolution: \"@\"\n")
}

func FuzzPNPMLock(f *testing.F) {
	fuzzManifest(f, "pnpm-lock.yaml", "packages:\n  /a@1.0.0(b@2):\n    requiresBuild: true\n    resolution: {tarball: http://x}\n",
		"packages:\n  /a/1.0.0_b:\n    resolution: {type: git, repo: x}\n")
}

func FuzzRequirements(f *testing.F) {
	fuzzManifest(f, "requirements.txt", "flask==3.0.2\n-i https://x/simple\n-e ./lib\nname @ git+https://x\\\n  ; python_version<'3'\n",
		"git+https://x#egg=a\n--hash=sha256:1 \\\n", "Flask[async] >= 2 ; extra == 'x' --hash=sha256:abc\n")
}

func FuzzPyproject(f *testing.F) {
	fuzzManifest(f, "pyproject.toml", "[project]\ndependencies = [\"a>=1\", \"b @ file:///x\"]\n[build-system]\nrequires = [\"setuptools\"]\n",
		"[tool.poetry.dependencies]\na = { git = \"x\" }\nb = [{version = \"1\"}]\n[[tool.poetry.source]]\nurl = \"https://x\"\n", "[project\n")
}

func FuzzPipfile(f *testing.F) {
	fuzzManifest(f, "Pipfile", "[[source]]\nurl = \"https://x\"\n[packages]\na = \"*\"\nb = {git = \"y\"}\n", "[packages]\na = 1\n")
}

func FuzzCargo(f *testing.F) {
	fuzzManifest(f, "Cargo.toml", cargoToml, "[patch.crates-io]\na = { path = \"x\" }\n[target.'cfg(unix)'.dependencies]\nb = \"1\"\n[replace]\n\"c:1.0\" = { git = \"y\" }\n")
}

func FuzzGemfile(f *testing.F) {
	fuzzManifest(f, "Gemfile", "source 'https://rubygems.org'\ngit 'https://x' do\n  gem 'a', '>= 1', require: false\nend\n",
		"gem(\"b\", :path => \"../b\") # c\nend\nend\n")
}

func FuzzPOM(f *testing.F) {
	fuzzManifest(f, "pom.xml", "<project><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>${v}</version></dependency></dependencies></project>",
		"<project><properties><v>1</v></properties><build><plugins><plugin><artifactId>x</artifactId></plugin></plugins></build><repositories><repository><url>http://x</url></repository></repositories></project>",
		"<project><dependencies><dependency>")
}

func FuzzGradle(f *testing.F) {
	fuzzManifest(f, "build.gradle", "plugins { id 'org.x' version '1' }\nrepositories { maven { url 'https://x' } }\ndependencies {\n  implementation 'a:b:1'\n  implementation group: 'c', name: 'd'\n  implementation files('libs/x.jar')\n}\n",
		"}}}{{{\nbuildscript {\n dependencies { classpath(\"a:b:1\") }\n}\n")
}

func FuzzComposer(f *testing.F) {
	fuzzManifest(f, "composer.json", `{"require":{"a/b":"^1","php":"8"},"repositories":{"x":{"type":"path","url":"../x"}},"scripts":{"post-install-cmd":["a","b"]},"config":{"allow-plugins":{"x/y":true}}}`,
		`{"repositories":[false,{"url":1}]}`)
}

func FuzzDockerfile(f *testing.F) {
	fuzzManifest(f, "Dockerfile", "ARG V=1\nFROM --platform=$P golang:${V:-2} AS b\nFROM b\nCOPY --from=nginx:1 / /\n",
		"FROM\nFROM localhost:5000/x@sha256:abc \\\n AS y\n")
}

func FuzzWorkflow(f *testing.F) {
	fuzzManifest(f, ".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: a/b@v1\n      - uses: docker://alpine\n      - uses: c/d@0123456789012345678901234567890123456789 # v2\n",
		"jobs: [\n", "uses: &x a/b@v1\nother: *x\n")
}

func FuzzTerraform(f *testing.F) {
	fuzzManifest(f, "main.tf", "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"5\" }\n    google = \"~> 4\"\n  }\n}\nmodule \"m\" {\n  source = \"git::https://x?ref=1\"\n}\n",
		"/* module \"x\" {\n*/ }}} module \"y\" {\n source = \"a/b/c\"\n")
}

func FuzzChart(f *testing.F) {
	fuzzManifest(f, "Chart.yaml", "dependencies:\n  - name: a\n    version: 1\n    repository: http://x\n    alias: b\n", "dependencies: {a: 1}\n")
}

func FuzzCargoLock(f *testing.F) {
	fuzzManifest(f, "Cargo.lock", "[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"git+https://x/y#abc\"\n", "version = 3\n")
}

func FuzzUVLock(f *testing.F) {
	fuzzManifest(f, "uv.lock", "[[package]]\nname = \"httpx\"\nversion = \"0.27.0\"\nsource = { git = \"https://x/y\" }\n")
}

func FuzzGemfileLock(f *testing.F) {
	fuzzManifest(f, "Gemfile.lock", "GIT\n  remote: https://x/y\n  revision: abc\n  specs:\n    rack (3.0.9)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.6)\n")
}

func FuzzGoSum(f *testing.F) {
	fuzzManifest(f, "go.sum", "golang.org/x/net v0.23.0 h1:a=\ngolang.org/x/net v0.23.0/go.mod h1:b=\n")
}

func FuzzVersionCatalog(f *testing.F) {
	fuzzManifest(f, "gradle/libs.versions.toml", "[versions]\na = \"1\"\n[libraries]\nx = { module = \"g:a\", version.ref = \"a\" }\ny = \"g:b:2\"\n[plugins]\np = { id = \"org.x\", version = \"1\" }\n")
}

func FuzzComposeImages(f *testing.F) {
	fuzzManifest(f, "docker-compose.yml", "services:\n  db:\n    image: postgres:16@sha256:abc\n")
}

func FuzzHelmValues(f *testing.F) {
	fuzzManifest(f, "charts/a/values.yaml", "image:\n  registry: ghcr.io\n  repository: acme/app\n  tag: 1.0\nsidecar:\n  image: busybox\n")
}
