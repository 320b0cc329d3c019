//! Screening prepared once per stream, before a run: whose rules screen it
//! (local, regional or national), what each credit class's chance of
//! review and inspection is under those rules, and where an importer who
//! arbitrages between ports goes.
//!
//! The two centres of the 2017 reform decide two different things, each on
//! its own score: the risk prevention and control centre decides physical
//! inspection on a *security* score, whose signal is what inspection can
//! find; the tax collection and management centre decides document review
//! on a *tax* score, whose signal is what review can find. Inspections are
//! therefore not spent on undervaluation, which no inspector can see.

use super::customs::{self, Check, NonCompliance, Targeting, TaxTiming};
use super::{ClassScreening, Condition, Decider, Model, Selection, StepKind, Stream, Supervision};

impl Stream {
    /// The separation d' of this stream's risk scores: the data's own,
    /// times the deciding risk model's discrimination.
    #[inline]
    pub fn separation(&self) -> f64 {
        self.data_quality * self.rules.discrimination
    }

    /// The separation d' of its tax score: the data's own, times the
    /// reviewing risk model's discrimination (a tax centre's, where one
    /// reviews the stream).
    #[inline]
    pub fn review_separation(&self) -> f64 {
        self.data_quality * self.review_rules.discrimination
    }
}

impl Model {
    /// Whose rules screen `stream`: the customs that takes the declaration
    /// (the port for port clearance; the home customs for the other modes),
    /// or its region once integrated, or the nation.
    pub fn decider(&self, stream: &Stream) -> Decider {
        let site = if stream.mode.needs_home() {
            stream.home.unwrap_or(stream.port)
        } else {
            stream.port
        };
        if self.nationwide {
            return Decider::National;
        }
        match self.region_of(site) {
            Some(r) if self.regions[r.0 as usize].integrated => Decider::Region(r),
            _ => Decider::Local(site),
        }
    }

    /// A decider in words, for traces and the demo.
    pub fn decider_name(&self, decider: Decider) -> String {
        match decider {
            Decider::Local(s) => format!("{} (its own rules)", self.site(s).name),
            Decider::Region(r) => {
                format!(
                    "{} (the region's uniform rules)",
                    self.regions[r.0 as usize].name
                )
            }
            Decider::National => "national rules (nationwide integration)".to_string(),
        }
    }

    /// The rules a decider applies. Locally: `[policy]`, overridden by the
    /// supervising customs, then by the site itself. Integrated: one
    /// rulebook for the region (or the nation), whose risk model learns
    /// from the pooled data of all its customs.
    pub fn rules(&self, decider: Decider) -> Supervision {
        let base = self.policy.rules();
        let pooled = |rules: Supervision, gain: f64| Supervision {
            discrimination: rules.discrimination * gain,
            ..rules
        };
        match decider {
            Decider::Local(s) => {
                let site = self.site(s);
                let customs = site
                    .customs
                    .map_or(base, |c| self.site(c).supervision.over(base));
                site.supervision.over(customs)
            }
            Decider::Region(r) => {
                let region = &self.regions[r.0 as usize];
                let gain = region
                    .pooled_data_gain
                    .unwrap_or(self.policy.pooled_data_gain);
                pooled(region.supervision.over(base), gain)
            }
            Decider::National => pooled(base, self.policy.pooled_data_gain),
        }
    }

    /// Derives each stream's rules and per-credit-class selection (random
    /// probabilities normalised so the stream's expected share is the rate,
    /// or the score thresholds that give that share), then where its
    /// arbitraging importers go.
    pub fn prepare_screening(&mut self) {
        let policy = self.policy.clone();
        let deciders: Vec<Decider> = self.streams.iter().map(|s| self.decider(s)).collect();
        let rules: Vec<Supervision> = deciders.iter().map(|d| self.rules(*d)).collect();
        let review_rules: Vec<Supervision> = self
            .streams
            .iter()
            .zip(&rules)
            .map(|(s, r)| s.tax_centre.map_or(*r, |c| self.tax_centre_rules(c)))
            .collect();
        for (i, s) in self.streams.iter_mut().enumerate() {
            s.decider = deciders[i];
            s.rules = rules[i];
            s.review_rules = review_rules[i];
            let truths: [_; 3] = std::array::from_fn(|c| s.truth.scaled(policy.credit_risk[c]));
            let selection = |check: Check, rate: f64, multipliers: [f64; 3]| -> [Selection; 3] {
                let d = match check {
                    Check::Inspection => s.separation(),
                    Check::Review => s.review_separation(),
                };
                let classes: Vec<(f64, f64, f64)> = (0..3)
                    .map(|c| (s.credit_mix[c], truths[c].seen_by(check), multipliers[c]))
                    .collect();
                let threshold = customs::risk_threshold(rate, d, &classes);
                let mean: f64 = (0..3).map(|c| s.credit_mix[c] * multipliers[c]).sum();
                std::array::from_fn(|c| Selection {
                    probability: (rate
                        * if mean > 0.0 {
                            multipliers[c] / mean
                        } else {
                            1.0
                        })
                    .min(1.0),
                    credit_multiplier: multipliers[c],
                    threshold,
                })
            };
            let inspection = selection(
                Check::Inspection,
                s.rules.inspection_rate,
                policy.credit_inspection,
            );
            let review = selection(
                Check::Review,
                s.review_rules.review_rate,
                policy.credit_review,
            );
            s.screening = std::array::from_fn(|c| ClassScreening {
                truth: truths[c],
                inspection: inspection[c],
                review: review[c],
            });
        }
        self.prepare_choices();
    }

    /// The rules of a tax centre's document review: `[policy]` under the
    /// centre's own `supervision`, one rulebook for its categories
    /// nationwide, on the whole country's pooled data.
    fn tax_centre_rules(&self, centre: super::SiteId) -> Supervision {
        let rules = self.site(centre).supervision.over(self.policy.rules());
        Supervision {
            discrimination: rules.discrimination * self.policy.pooled_data_gain,
            ..rules
        }
    }

    /// Where each stream's arbitraging importers go, the expected share of
    /// its arrivals each of its options (port and mode) receives, and the
    /// clearance time an importer expects of each before it has seen any.
    fn prepare_choices(&mut self) {
        for i in 0..self.streams.len() {
            let s = &self.streams[i];
            // The time before release: a laboratory test after release
            // holds nothing up.
            let prior = s
                .route
                .steps
                .iter()
                .filter(|st| {
                    !(self.policy.lab_after_release && st.condition == Condition::NeedsLabTest)
                })
                .map(|st| self.step_probability(s, st) * self.activity(st.activity).duration.mean())
                .sum();
            self.streams[i].choice.prior_h = prior;
        }
        for i in 0..self.streams.len() {
            let s = &self.streams[i];
            if s.choice.parent.is_some() {
                // A generated stream: its parent sets its share.
                continue;
            }
            let (arbitrage, time_share) = (s.choice.arbitrage_share, s.choice.time_share);
            let mut laxest = [[i as u32; 3]; 3];
            let mut shares: Vec<(u32, f64)> = Vec::new();
            let mut add = |o: u32, x: f64| match shares.iter_mut().find(|(k, _)| *k == o) {
                Some((_, share)) => *share += x,
                None => shares.push((o, x)),
            };
            for (c, row) in laxest.iter_mut().enumerate() {
                let options: Vec<u32> = self.options_for(i as u32, c).collect();
                let mix = s.credit_mix[c];
                let mut diverted = vec![0.0; options.len()];
                for kind in NonCompliance::ALL {
                    let catch = |o: u32| self.catch_probability(&self.streams[o as usize], c, kind);
                    let mut best = (0, catch(options[0]));
                    for (k, &o) in options.iter().enumerate().skip(1) {
                        let p = catch(o);
                        // Ties keep the usual option: moving has a cost.
                        if p < best.1 - 1e-12 {
                            best = (k, p);
                        }
                    }
                    row[kind.index()] = options[best.0];
                    diverted[best.0] += mix * s.screening[c].truth.of(kind) * arbitrage;
                }
                // Importers who choose by expected clearance time go
                // wherever it is shortest at the moment, which the run
                // decides; for the load estimate they are spread evenly.
                let choosing = time_share * (mix - diverted.iter().sum::<f64>());
                let even = choosing / options.len() as f64;
                add(
                    options[0],
                    mix - diverted[1..].iter().sum::<f64>() - choosing + even,
                );
                for (k, &o) in options.iter().enumerate().skip(1) {
                    add(o, diverted[k] + even);
                }
            }
            self.streams[i].choice.laxest = laxest;
            for (o, share) in shares {
                self.streams[o as usize].choice.demand_share = share;
            }
        }
    }

    /// The chance that a non-compliant consignment of credit class `class`
    /// and kind `kind` is caught on `stream`'s route before or after
    /// release: inspected and found, or reviewed (or audited after release)
    /// and found. What an informed importer weighs when it picks a port.
    pub fn catch_probability(&self, stream: &Stream, class: usize, kind: NonCompliance) -> f64 {
        let screening = &stream.screening[class];
        let selected = |sel: &Selection, check: Check| {
            let (targeting, d) = match check {
                Check::Inspection => (stream.rules.targeting, stream.separation()),
                Check::Review => (stream.review_rules.targeting, stream.review_separation()),
            };
            match targeting {
                Targeting::Random => sel.probability,
                Targeting::RiskBased => customs::selection_probability(
                    sel.threshold,
                    if kind.seen_by(check) { d } else { 0.0 },
                    sel.credit_multiplier,
                ),
            }
        };
        // The detection of the first step on the route that `is` picks
        // (0 if there is none).
        let detection = |is: &dyn Fn(&super::RouteStep, &super::Activity) -> bool| {
            stream
                .route
                .steps
                .iter()
                .map(|st| (st, self.activity(st.activity)))
                .find(|(st, a)| is(st, a))
                .map_or(0.0, |(_, a)| a.detection)
        };
        let (scan, manual, in_line) = if kind.seen_by(Check::Inspection) {
            (
                detection(&|st, _| st.condition == Condition::FlaggedForScan),
                // The manual examination, found by its kind: at an in-line
                // scanner's site screening selects it with
                // `FlaggedForInspection` rather than `FlaggedForManual` (see
                // `Route::apply_in_line_scanning`).
                detection(&|_, a| a.step == StepKind::Inspection),
                // An in-line scanner looks at every consignment, selected
                // or not.
                detection(&|_, a| a.step == StepKind::Scan && a.in_line),
            )
        } else {
            (0.0, 0.0, 0.0)
        };
        let inspection_finds = stream.scan_share * scan + (1.0 - stream.scan_share) * manual;
        let review_finds = if kind.seen_by(Check::Review) {
            match self.policy.tax_timing {
                TaxTiming::BeforeRelease => {
                    detection(&|st, _| st.condition == Condition::FlaggedForReview)
                }
                TaxTiming::AfterRelease => self.policy.audit_detection,
            }
        } else {
            0.0
        };
        let inspected = 1.0
            - (1.0 - selected(&screening.inspection, Check::Inspection) * inspection_finds)
                * (1.0 - in_line);
        let reviewed = selected(&screening.review, Check::Review) * review_finds;
        1.0 - (1.0 - inspected) * (1.0 - reviewed)
    }
}
