package deps

import (
	"strings"

	"golang.org/x/mod/modfile"
)

// parseGoMod reads require, replace and toolchain. The go line is left out
// on purpose: it sets language semantics, not a third-party component.
func parseGoMod(data []byte) ([]entry, error) {
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, err
	}
	var out []entry
	if f.Toolchain != nil && f.Toolchain.Syntax != nil {
		out = append(out, entry{key: "toolchain", name: "go toolchain", purl: "-",
			version: f.Toolchain.Name, what: "toolchain", low: true, line: f.Toolchain.Syntax.Start.Line})
	}
	// A module's major versions are different paths (go-github/v87,
	// go-github/v89); a file that requires one of them is keyed by the path
	// without it, so that moving to the next major is one upgrade, not a
	// removal and an addition.
	majors := map[string]int{}
	for _, r := range f.Require {
		if r != nil {
			majors[majorless(r.Mod.Path)]++
		}
	}
	for _, r := range f.Require {
		if r == nil || r.Syntax == nil {
			continue
		}
		key := "require " + r.Mod.Path
		if base := majorless(r.Mod.Path); majors[base] == 1 {
			key = "require " + base
		}
		e := entry{key: key, name: r.Mod.Path, version: r.Mod.Version,
			line: r.Syntax.Start.Line}
		if r.Indirect {
			// Indirect requirements are the module graph's lockfile.
			e.group, e.low = "indirect", true
		}
		out = append(out, e)
	}
	for _, r := range f.Replace {
		if r == nil || r.Syntax == nil {
			continue
		}
		key := "replace " + r.Old.Path
		if r.Old.Version != "" {
			key += "@" + r.Old.Version
		}
		e := entry{key: key, name: r.Old.Path, verb: "replaces", line: r.Syntax.Start.Line}
		switch {
		case r.New.Version == "":
			// A directory on disk: code that no checksum database vouches for.
			e.source, e.what = "local path "+r.New.Path, "replace"
			e.detail = "with local path " + r.New.Path
		case r.New.Path != r.Old.Path:
			e.source, e.what = "fork "+r.New.Path+" "+r.New.Version, "replace"
			e.detail = "with fork " + r.New.Path + " " + r.New.Version
			e.version = r.New.Version
			e.purl = r.New.Path
		default:
			e.version = r.New.Version
			e.detail = "with version " + r.New.Version
			e.what = "replace"
		}
		out = append(out, e)
	}
	return out, nil
}

// majorless is a module path without its /vN major-version suffix.
func majorless(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 || len(p) < i+3 || p[i+1] != 'v' {
		return p
	}
	for _, c := range p[i+2:] {
		if c < '0' || c > '9' {
			return p
		}
	}
	return p[:i]
}
