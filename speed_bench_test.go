package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// The benchmarks of this file run the vouch binary end to end beside the git
// binary doing the same work, and report both, their ratio and peak RSS:
//
//	go test -run '^$' -bench 'Scan50k|Verify10k|Hostile' -benchtime 3x .
//	VOUCH_REAL_REPO=/path/to/clone go test -run '^$' -bench RealHistory -benchtime 3x .

// run starts a command with the benchmark's environment and returns its
// wall time and peak RSS. The peak is VmHWM of /proc/PID/status, read until
// the process ends: rusage's maxrss would report the benchmark's own RSS,
// which the child inherits for the instant between fork and exec.
func run(b *testing.B, env []string, name string, args ...string) (time.Duration, int64) {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	done := make(chan struct{})
	peak := make(chan int64, 1)
	go func() {
		var hwm int64
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if data, err := os.ReadFile(status); err == nil {
				for _, line := range strings.Split(string(data), "\n") {
					if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						var kb int64
						fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
						hwm = max(hwm, kb*1024)
					}
				}
			}
			select {
			case <-done:
				peak <- hwm
				return
			case <-tick.C:
			}
		}
	}()
	err := cmd.Wait()
	took := time.Since(start)
	close(done)
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 && filepath.Base(name) == "vouch" {
		err = nil // verify's or scan's "found something"
	}
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return took, <-peak
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchEnv keeps the user's git configuration out of the measurements.
func benchEnv(b *testing.B) []string {
	home := b.TempDir()
	return []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C"}
}

// fastImport feeds a fast-import stream written by write into a new repository.
func fastImport(b *testing.B, env []string, write func(w *bufio.Writer)) string {
	b.Helper()
	dir := b.TempDir()
	init := exec.Command("git", "init", "-q", "-b", "main", dir)
	init.Env = append(os.Environ(), env...)
	if out, err := init.CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	return fastImportNotes(b, dir, env, write)
}

// service writes one version of a small Go file of a service; no two
// versions are alike, so no two commits share a patch id.
func service(f, version int) string {
	var c strings.Builder
	fmt.Fprintf(&c, "// Version %d.\npackage svc%d\n\nimport \"net/http\"\n\n", version, f%11)
	for fn := 0; fn < 6; fn++ {
		fmt.Fprintf(&c, "// Handler%d serves /v%d/items/%d.\nfunc Handler%d(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(%d)\n}\n\n",
			fn, version%7, fn, fn, 200+(fn+version)%5)
	}
	return c.String()
}

const aiTrailer = "\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"

// history writes n commits on main of a 200-file service, two files changed
// per commit; every aiEvery-th commit is AI-authored, and every third of
// those also adds an endpoint that runs a process, so findings are found.
func history(n, aiEvery int) func(w *bufio.Writer) {
	return func(w *bufio.Writer) {
		const files = 200
		for i := 1; i <= n; i++ {
			fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", i)
			fmt.Fprintf(w, "author Dev %d <dev%d@example.com> %d +0000\n", i%13, i%13, 1600000000+i*60)
			fmt.Fprintf(w, "committer Dev %d <dev%d@example.com> %d +0000\n", i%13, i%13, 1600000000+i*60)
			msg := fmt.Sprintf("Change handlers, step %d\n\nAdjusts status codes.\n", i)
			ai := i%aiEvery == 0
			if ai {
				msg += aiTrailer
			}
			fmt.Fprintf(w, "data %d\n%s", len(msg), msg)
			if i > 1 {
				fmt.Fprintf(w, "from :%d\n", i-1)
			}
			if i == 1 {
				for f := 0; f < files; f++ {
					c := service(f, 0)
					fmt.Fprintf(w, "M 100644 inline pkg/svc%d/file%d.go\ndata %d\n%s", f%11, f, len(c), c)
				}
			}
			for k := 0; k < 2 && i > 1; k++ {
				f := (i*7 + k*101) % files
				c := service(f, i)
				fmt.Fprintf(w, "M 100644 inline pkg/svc%d/file%d.go\ndata %d\n%s", f%11, f, len(c), c)
			}
			if ai && (i/aiEvery)%3 == 0 {
				c := fmt.Sprintf("package ops\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\thttp.HandleFunc(\"/ops/run%d\", func(w http.ResponseWriter, r *http.Request) {\n\t\texec.Command(\"sh\", \"-c\", r.URL.Query().Get(\"cmd\")).Run()\n\t})\n}\n", i)
				fmt.Fprintf(w, "M 100644 inline pkg/ops/run%d.go\ndata %d\n%s", i, len(c), c)
			}
			w.WriteString("\n")
		}
	}
}

// gitBaseline is the git binary doing the work of a scan: one git log of
// identity and message fields over the range, then one git show of the
// commits the scan lists (shas).
func gitBaseline(b *testing.B, env []string, dir string, shas []string, logArgs ...string) time.Duration {
	b.Helper()
	start := time.Now()
	cmd := exec.Command("git", append([]string{"-C", dir, "log", "--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x00"}, logArgs...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		b.Fatal(err)
	}
	show := exec.Command("git", append([]string{"-C", dir, "show", "--no-color", "--format=%H"}, shas...)...)
	show.Env = cmd.Env
	show.Stdout = io.Discard
	if err := show.Run(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// scanned lists the commits `vouch scan --json` reports.
func scanned(b *testing.B, env []string, dir string, vouchArgs ...string) []string {
	cmd := exec.Command(vouchBin, append([]string{"-C", dir}, vouchArgs...)...)
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.Output()
	var doc struct {
		Commits []struct {
			SHA string `json:"sha"`
		} `json:"commits"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Commits) == 0 {
		b.Fatalf("vouch %v: %v, %d commits", vouchArgs, err, len(doc.Commits))
	}
	var shas []string
	for _, c := range doc.Commits {
		shas = append(shas, c.SHA)
	}
	return shas
}

// sideBySide runs the git baseline and vouch alternately, once per b.Loop
// (after one untimed scan that lists the commits git is to show), and reports the medians, their ratio and vouch's peak RSS.
func sideBySide(b *testing.B, env []string, dir string, logArgs []string, vouchArgs ...string) {
	shas := scanned(b, env, dir, vouchArgs...)
	var gitTimes, vouchTimes []time.Duration
	var rss int64
	for b.Loop() {
		gitTimes = append(gitTimes, gitBaseline(b, env, dir, shas, logArgs...))
		t, r := run(b, env, vouchBin, append([]string{"-C", dir}, vouchArgs...)...)
		vouchTimes = append(vouchTimes, t)
		rss = max(rss, r)
	}
	g, v := median(gitTimes), median(vouchTimes)
	b.ReportMetric(float64(g.Milliseconds()), "git-ms")
	b.ReportMetric(float64(v.Milliseconds()), "vouch-ms")
	b.ReportMetric(float64(v)/float64(g), "x-git")
	b.ReportMetric(float64(rss)/(1<<20), "peak-MB")
}

// BenchmarkScan50k: `vouch scan --json HEAD` on a 50,000-commit history with
// 500 AI-authored commits, beside git log + git show of the 500.
func BenchmarkScan50k(b *testing.B) {
	env := benchEnv(b)
	dir := fastImport(b, env, history(50000, 100))
	keep(b, dir)
	sideBySide(b, env, dir, []string{"HEAD"}, "scan", "--json", "HEAD")
}

// BenchmarkScanRealHistory: the whole history of every ref of a real
// repository (VOUCH_REAL_REPO), `vouch scan --json -- --all`.
func BenchmarkScanRealHistory(b *testing.B) {
	dir := os.Getenv("VOUCH_REAL_REPO")
	if dir == "" {
		b.Skip("set VOUCH_REAL_REPO to a clone")
	}
	sideBySide(b, benchEnv(b), dir, []string{"--all"}, "scan", "--json", "--", "--all")
}

// BenchmarkHostile: one commit that adds a 50 MB file, one that adds a 50 MB
// one-line file, one of 10,000 files; each `vouch scan --json` of it.
func BenchmarkHostile(b *testing.B) {
	env := benchEnv(b)
	cases := map[string]func(w *bufio.Writer){
		"50MB-file": func(w *bufio.Writer) {
			var s strings.Builder
			for i := 0; s.Len() < 50<<20; i++ {
				fmt.Fprintf(&s, "func F%d() { exec.Command(\"sh\", \"-c\", input).Run() } // generated\n", i)
			}
			fmt.Fprintf(w, "M 100644 inline gen/big.go\ndata %d\n%s\n", s.Len(), s.String())
		},
		"50MB-line": func(w *bufio.Writer) {
			s := "var blob = \"" + strings.Repeat("A", 50<<20) + "\"; eval(blob);\n"
			fmt.Fprintf(w, "M 100644 inline gen/one.js\ndata %d\n%s\n", len(s), s)
		},
		"10000-files": func(w *bufio.Writer) {
			for i := 0; i < 10000; i++ {
				s := fmt.Sprintf("package many\n\nimport \"os/exec\"\n\nfunc F%d() { exec.Command(\"ls\").Run() }\n", i)
				fmt.Fprintf(w, "M 100644 inline many/f%d.go\ndata %d\n%s\n", i, len(s), s)
			}
		},
	}
	for _, name := range []string{"50MB-file", "50MB-line", "10000-files"} {
		b.Run(name, func(b *testing.B) {
			dir := fastImport(b, env, func(w *bufio.Writer) {
				msg := "base\n"
				fmt.Fprintf(w, "commit refs/heads/main\nmark :1\ncommitter A <a@example.com> 1600000000 +0000\ndata %d\n%s\n", len(msg), msg)
				msg = "hostile\n" + aiTrailer
				fmt.Fprintf(w, "commit refs/heads/main\nmark :2\ncommitter A <a@example.com> 1600000060 +0000\ndata %d\n%sfrom :1\n", len(msg), msg)
				cases[name](w)
			})
			var times []time.Duration
			var rss int64
			for b.Loop() {
				t, r := run(b, env, vouchBin, "-C", dir, "scan", "--json", "HEAD~1..HEAD")
				times = append(times, t)
				rss = max(rss, r)
			}
			b.ReportMetric(float64(median(times).Milliseconds()), "vouch-ms")
			b.ReportMetric(float64(rss)/(1<<20), "peak-MB")
		})
	}
}

// BenchmarkVerify10k: `vouch verify` of 10,000 AI-authored commits, each with
// a signed accept, against an allowed signers file.
func BenchmarkVerify10k(b *testing.B) { benchVerify(b, 10000) }

// BenchmarkVerify1k is the same on 1,000 records.
func BenchmarkVerify1k(b *testing.B) { benchVerify(b, 1000) }

func benchVerify(b *testing.B, n int) {
	env := benchEnv(b)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		b.Setenv(k, v)
	}
	dir := fastImport(b, env, history(n, 1))
	r, err := repo.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	commits, err := r.Log([]string{"HEAD"})
	if err != nil || len(commits) != n {
		b.Fatalf("%v: %d commits", err, len(commits))
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	sshPub, _ := ssh.NewPublicKey(pub)
	allowed := filepath.Join(b.TempDir(), "allowed_signers")
	if err := os.WriteFile(allowed, []byte("rae@example.com namespaces=\"vouch\" "+string(ssh.MarshalAuthorizedKey(sshPub))), 0o644); err != nil {
		b.Fatal(err)
	}
	rd := r.NewReader(context.Background())
	defer rd.Close()
	notes := fastImportNotes(b, dir, env, func(w *bufio.Writer) {
		fmt.Fprintf(w, "commit refs/notes/vouch\ncommitter Rae <rae@example.com> 1735700000 +0000\ndata 5\nvouch\n")
		for _, c := range commits {
			d, err := rd.Diff(c, repo.Limits{})
			if err != nil {
				b.Fatal(err)
			}
			p := ledger.Payload{Type: ledger.RecordType, Commit: c.SHA, Tree: c.Tree, PatchID: d.PatchID, Decision: "accept",
				Reviewer: ledger.Person{Name: "Rae", Email: "rae@example.com"}, Time: "2025-01-01T00:00:00.000Z",
				Tool: "vouch bench", Via: "cli"}
			rec, err := ledger.Sign(sshsigSigner{signer}, p)
			if err != nil {
				b.Fatal(err)
			}
			line, err := rec.Line()
			if err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(w, "N inline %s\ndata %d\n%s\n\n", c.SHA, len(line)+1, line)
		}
	})
	_ = notes
	if to := keep(b, dir); to != "" {
		os.WriteFile(filepath.Join(to, ".git", "allowed_signers"), mustRead(b, allowed), 0o644)
	}
	var times []time.Duration
	var rss int64
	for b.Loop() {
		t, m := run(b, env, vouchBin, "-C", dir, "verify", "--allowed-signers", allowed, "HEAD")
		times = append(times, t)
		rss = max(rss, m)
	}
	b.ReportMetric(float64(median(times).Milliseconds()), "vouch-ms")
	b.ReportMetric(float64(rss)/(1<<20), "peak-MB")
}

// fastImportNotes feeds git fast-import in an existing repository (the
// history, or notes on top of it).
func fastImportNotes(b *testing.B, dir string, env []string, write func(w *bufio.Writer)) string {
	b.Helper()
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	in, _ := cmd.StdinPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(in, 1<<20)
	write(w)
	w.Flush()
	in.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatalf("fast-import: %v: %s", err, stderr.String())
	}
	return dir
}

// sshsigSigner signs in process in OpenSSH's SSHSIG format (namespace
// vouch, SHA-512), as ssh-keygen -Y sign does, so 10,000 records take
// seconds to make.
type sshsigSigner struct{ s ssh.Signer }

func (sshsigSigner) Format() string { return "ssh" }

func (g sshsigSigner) Sign(payload []byte) (string, error) {
	str := func(b []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...)
	}
	h := sha512.Sum512(payload)
	signed := append([]byte("SSHSIG"), str([]byte(ledger.Namespace))...)
	signed = append(signed, str(nil)...)
	signed = append(signed, str([]byte("sha512"))...)
	signed = append(signed, str(h[:])...)
	sig, err := g.s.Sign(rand.Reader, signed)
	if err != nil {
		return "", err
	}
	blob := append([]byte("SSHSIG"), 0, 0, 0, 1)
	blob = append(blob, str(g.s.PublicKey().Marshal())...)
	blob = append(blob, str([]byte(ledger.Namespace))...)
	blob = append(blob, str(nil)...)
	blob = append(blob, str([]byte("sha512"))...)
	blob = append(blob, str(ssh.Marshal(sig))...)
	enc := base64.StdEncoding.EncodeToString(blob)
	var out strings.Builder
	out.WriteString("-----BEGIN SSH SIGNATURE-----\n")
	for len(enc) > 70 {
		out.WriteString(enc[:70] + "\n")
		enc = enc[70:]
	}
	out.WriteString(enc + "\n-----END SSH SIGNATURE-----\n")
	return out.String(), nil
}

func mustRead(b *testing.B, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// keep copies a benchmark's repository to $VOUCH_BENCH_KEEP, to measure
// or profile it by hand afterwards.
func keep(b *testing.B, dir string) string {
	to := os.Getenv("VOUCH_BENCH_KEEP")
	if to == "" {
		return ""
	}
	os.RemoveAll(to)
	if out, err := exec.Command("cp", "-a", dir, to).CombinedOutput(); err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	return to
}
