package review

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/vouch-review/vouch/review/repo"
)

// AnalyseRange is Queue and AnalyseAll in one pass, for a scan: a commit
// is analysed as soon as git log lists it, while git still walks the rest
// of the range (git lists a plain range newest first as it walks), on jobs
// workers (jobs < 1: one per CPU). Once the range is listed, emit gets the
// analyses in queue order, each as soon as it is done; until then, seen
// (when not nil) is told how many commits are listed and analysed. The
// analyses come without their Files and Checklists: a whole history's findings wait for
// git to finish listing, its diffs do not. The first error stops the rest
// and is returned.
func (s *Session) AnalyseRange(ctx context.Context, rangeArgs []string, jobs int, seen func(listed, analysed int), emit func(q *Queue, i int, a *Analysis) error) (*Queue, error) {
	if len(rangeArgs) == 0 {
		def, err := s.repo.DefaultRange()
		if err != nil {
			return nil, err
		}
		rangeArgs = def
	}
	notes, err := s.store.Load()
	if err != nil {
		return nil, err
	}
	if jobs < 1 {
		jobs = runtime.NumCPU()
	}
	ctx, cancel := context.WithCancel(ctx)
	type result struct {
		a   *Analysis
		err error
	}
	type job struct {
		it   Item
		slot chan result
	}
	type loaded struct {
		k     int        // index in arrived
		d     *repo.Diff // nil: the worker reads it
		start time.Time
	}
	var (
		mu       sync.Mutex
		arrived  []*job // the commits to analyse, as git listed them
		bySHA    = map[string]*job{}
		listed   int // commits git has listed
		analysed int // analyses done
		ended    bool
		// arrived grew, or the listing ended: one wake-up for the feeder,
		// one for the loop that fails what a broken stream cannot read.
		more, moreFailed = make(chan struct{}, 1), make(chan struct{}, 1)
	)
	notify := func() {
		for _, ch := range []chan struct{}{more, moreFailed} {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
	progress := func() {
		if seen != nil {
			seen(listed, analysed)
		}
	}
	rd, readers, closeReaders := s.poolReaders(ctx, jobs)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
		closeReaders()
	}()
	// The feeder hands the diff stream each commit as it arrives, until
	// the listing ends or the stream breaks (feedStop).
	in := make(chan repo.Commit)
	feedStop := make(chan struct{})
	wg.Go(func() {
		defer close(in)
		for k := 0; ; {
			mu.Lock()
			n, done := len(arrived), ended
			mu.Unlock()
			if k == n && done {
				return
			}
			if k == n {
				select {
				case <-more:
				case <-feedStop:
					return
				case <-ctx.Done():
					return
				}
				continue
			}
			mu.Lock()
			c := arrived[k].it.Commit
			mu.Unlock()
			select {
			case in <- c:
				k++
			case <-feedStop:
				return
			case <-ctx.Done():
				return
			}
		}
	})
	// At most a few diffs wait for a worker.
	window := make(chan struct{}, 4*jobs)
	next := make(chan loaded)
	hand := func(ld loaded) error {
		select {
		case window <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case next <- ld:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	wg.Go(func() {
		defer close(next)
		handed := 0
		err := rd.DiffsFrom(in, s.limits, func(k int, d repo.Diff) error {
			if err := hand(loaded{k, &d, time.Now()}); err != nil {
				return err
			}
			handed++
			return nil
		})
		if err == nil || ctx.Err() != nil {
			return
		}
		// The stream broke on the commit it was reading, which may be any
		// in the queue: the workers read that one and the rest on streams
		// of their own, so each failure is told in its own place.
		close(feedStop)
		for {
			mu.Lock()
			n, done := len(arrived), ended
			mu.Unlock()
			for ; handed < n; handed++ {
				if hand(loaded{handed, nil, time.Now()}) != nil {
					return
				}
			}
			if done {
				mu.Lock()
				n = len(arrived)
				mu.Unlock()
				if handed == n {
					return
				}
				continue
			}
			select {
			case <-moreFailed:
			case <-ctx.Done():
				return
			}
		}
	})
	for _, w := range readers {
		wg.Go(func() {
			for ld := range next {
				mu.Lock()
				j := arrived[ld.k]
				mu.Unlock()
				var a *Analysis
				var d repo.Diff
				var err error
				if ld.d != nil {
					d = *ld.d
				} else if d, err = w.Diff(j.it.Commit, s.limits); err != nil {
					err = gitContextErr(err, j.it.Commit)
				}
				var p *prepared
				if err == nil {
					p, err = s.prepare(w, j.it, len(j.it.Commit.Parents) > 1, d)
				}
				if err == nil {
					a, err = s.conclude(w, p, ld.start)
				}
				if a != nil {
					a.Files, a.Checklists = nil, nil
				}
				<-window
				j.slot <- result{a, err}
				mu.Lock()
				analysed++
				progress()
				mu.Unlock()
			}
		})
	}
	commits, err := s.repo.LogEach(rangeArgs, func(c repo.Commit) {
		it := s.item(c)
		analyse := s.all || it.AI()
		if analyse {
			it.Records = notes[c.SHA]
			it.Checks = s.checkRecords(c, it.Records)
		}
		mu.Lock()
		listed++
		if analyse {
			j := &job{it: it, slot: make(chan result, 1)}
			arrived = append(arrived, j)
			bySHA[c.SHA] = j
		}
		progress()
		mu.Unlock()
		if analyse {
			notify()
		}
	})
	mu.Lock()
	ended = true
	mu.Unlock()
	notify()
	if err != nil {
		return nil, err
	}
	q := &Queue{Range: rangeArgs, Scanned: len(commits)}
	var slots []chan result
	for _, c := range commits {
		if j := bySHA[c.SHA]; j != nil {
			q.Items = append(q.Items, j.it)
			slots = append(slots, j.slot)
		}
	}
	for i, slot := range slots {
		var r result
		select {
		case r = <-slot:
		case <-ctx.Done():
			return q, ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return q, err // what failed after the cancel failed for it
		}
		if r.err != nil {
			return q, r.err
		}
		if err := emit(q, i, r.a); err != nil {
			return q, err
		}
	}
	return q, nil
}
