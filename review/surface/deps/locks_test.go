package deps

import "testing"

func TestLockfilesAndManifests(t *testing.T) {
	cargoLock := func(ver, src string) string {
		return "version = 3\n\n[[package]]\nname = \"serde\"\nversion = \"" + ver + "\"\nsource = \"" + src + "\"\n"
	}
	const crates = "registry+https://github.com/rust-lang/crates.io-index"
	uv := func(extra string) string {
		return "version = 1\n\n[[package]]\nname = \"httpx\"\nversion = \"0.27.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n" + extra
	}
	runCases(t, []detectCase{
		{name: "Cargo.lock bump is low", path: "Cargo.lock", before: cargoLock("1.0.197", crates), after: cargoLock("1.0.203", crates),
			want: []want{{category: "dependency", severity: "low", msg: []string{"serde", "1.0.203"}}}},
		{name: "Cargo.lock downgrade is not low", path: "Cargo.lock", before: cargoLock("1.0.203", crates), after: cargoLock("1.0.100", crates),
			want: []want{{category: "dependency", severity: "high", msg: []string{"serde"}}}},
		{name: "Cargo.lock git source", path: "Cargo.lock", before: cargoLock("1.0.203", crates), after: cargoLock("1.0.203", "git+https://github.com/someone/serde#abc"),
			want: []want{{category: "dependency-source", msg: []string{"git"}}}},
		{name: "uv.lock new package", path: "uv.lock", before: uv(""), after: uv("\n[[package]]\nname = \"evil\"\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n"),
			want: []want{{category: "dependency", severity: "low", msg: []string{"evil"}}}},
		{name: "uv.lock splits a package by Python version", path: "uv.lock", before: uv(""),
			after: uv("\n[[package]]\nname = \"httpx\"\nversion = \"0.28.1\"\nsource = { registry = \"https://pypi.org/simple\" }\n"),
			want:  []want{{category: "dependency", rule: "deps/uv-lock-changed", severity: "low", msg: []string{"locks httpx 0.28.1 too (it had 0.27.0)"}}}},
		{name: "poetry.lock bump", path: "poetry.lock", before: "[[package]]\nname = \"requests\"\nversion = \"2.31.0\"\n", after: "[[package]]\nname = \"requests\"\nversion = \"2.32.3\"\n",
			want: []want{{category: "dependency", severity: "low", msg: []string{"requests"}}}},
		{name: "Gemfile.lock bump", path: "Gemfile.lock",
			before: "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n      base64\n\nPLATFORMS\n  ruby\n",
			after:  "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.9)\n      base64\n\nPLATFORMS\n  ruby\n",
			want:   []want{{category: "dependency", severity: "low", msg: []string{"rack"}}}},
		{name: "go.sum only", path: "go.sum",
			before: "golang.org/x/net v0.20.0 h1:aaa=\ngolang.org/x/net v0.20.0/go.mod h1:bbb=\n",
			after:  "golang.org/x/net v0.23.0 h1:ccc=\ngolang.org/x/net v0.23.0/go.mod h1:ddd=\n",
			want:   []want{{category: "dependency", severity: "low", msg: []string{"golang.org/x/net"}}}},
		{name: "version catalog", path: "gradle/libs.versions.toml",
			before: "[versions]\nokhttp = \"4.11.0\"\n\n[libraries]\nokhttp = { module = \"com.squareup.okhttp3:okhttp\", version.ref = \"okhttp\" }\n",
			after:  "[versions]\nokhttp = \"4.12.0\"\n\n[libraries]\nokhttp = { module = \"com.squareup.okhttp3:okhttp\", version.ref = \"okhttp\" }\nlog4j = \"org.apache.logging.log4j:log4j-core:2.14.1\"\n",
			want:   []want{{category: "dependency", msg: []string{"okhttp", "4.12.0"}}, {category: "dependency", msg: []string{"log4j-core"}}}},
		{name: "compose image untagged", path: "docker-compose.yml",
			before: "services:\n  db:\n    image: postgres:16.2\n",
			after:  "services:\n  db:\n    image: postgres\n",
			want:   []want{{category: "dependency-source", msg: []string{"postgres"}}}},
		{name: "helm values tag", path: "charts/app/values.yaml",
			before: "image:\n  repository: ghcr.io/acme/app\n  tag: \"1.4.0\"\nreplicas: 2\n",
			after:  "image:\n  repository: ghcr.io/acme/app\n  tag: \"1.5.0\"\nreplicas: 2\n",
			want:   []want{{category: "dependency", msg: []string{"ghcr.io/acme/app", "1.5.0"}}}},
		{name: "helm values unrelated", path: "charts/app/values.yaml",
			before: "image:\n  repository: ghcr.io/acme/app\n  tag: \"1.4.0\"\nreplicas: 2\n",
			after:  "image:\n  repository: ghcr.io/acme/app\n  tag: \"1.4.0\"\nreplicas: 3\n"},
	})
}

// A uv.lock that splits a package by Python version keeps the version it
// had and locks an older one beside it, listed first: not a downgrade and
// an addition.
func TestUVLockSplitKeepsItsVersion(t *testing.T) {
	pkg := func(name, version, extra string) string {
		return "[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\nsource = { registry = \"https://pypi.org/simple\" }\n" + extra + "\n"
	}
	runCases(t, []detectCase{{name: "split", path: "uv.lock",
		before: "version = 1\n\n" + pkg("httpx", "0.28.1", "") + pkg("ipython", "9.3.0", ""),
		after: "version = 1\n\n" + pkg("httpx", "0.28.1", "") + pkg("ipython", "8.37.0", "resolution-markers = [\"python_full_version < '3.11'\"]") +
			pkg("ipython", "9.3.0", "resolution-markers = [\"python_full_version >= '3.11'\"]"),
		want: []want{{category: "dependency", rule: "deps/uv-lock-changed", severity: "low", msg: []string{"locks ipython 8.37.0 too (it had 9.3.0)"}}}}})
}
