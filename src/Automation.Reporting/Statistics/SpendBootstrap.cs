namespace Automation.Reporting.Statistics;

/// <summary>
/// A streaming bootstrap of spend per customer, for an interval that survives skewed spend (a few large
/// orders move a mean far more than a normal interval allows for). It is the Poisson bootstrap: each
/// observation enters every replicate with a Poisson(1) weight instead of being resampled, so it needs
/// no list of observations and memory stays at <see cref="Replicates"/> sums whatever the number of
/// customers. Only customers who spent are fed in; those who did not add nothing to any replicate's
/// sum, and their total weight per replicate is drawn at the end, one Poisson draw per replicate.
/// Weights come from a generator seeded by each observation's key, so the interval is the same
/// whatever order the store returns customers in, and the same on every run.
/// </summary>
public sealed class SpendBootstrap
{
    public const int Replicates = 1000;

    private readonly double[] _sums = new double[Replicates];
    private readonly double[] _weights = new double[Replicates];

    /// <summary>Observations with spend.</summary>
    public long Spenders { get; private set; }

    public decimal Total { get; private set; }

    public void Add(decimal spend, ulong observationKey)
    {
        Spenders++;
        Total += spend;
        var random = new SplitMix64(observationKey);
        var value = (double)spend;
        for (var b = 0; b < Replicates; b++)
        {
            var weight = random.NextPoissonOne();
            if (weight == 0) continue;
            _sums[b] += weight * value;
            _weights[b] += weight;
        }
    }

    public void Add(SpendBootstrap other)
    {
        Spenders += other.Spenders;
        Total += other.Total;
        for (var b = 0; b < Replicates; b++)
        {
            _sums[b] += other._sums[b];
            _weights[b] += other._weights[b];
        }
    }

    /// <summary>Spend per customer over <paramref name="observations"/> customers (spenders and the rest).</summary>
    public double Mean(long observations) => observations == 0 ? double.NaN : (double)Total / observations;

    /// <summary>
    /// The difference of spend per customer, <paramref name="first"/> minus <paramref name="second"/>, with the
    /// 2.5th and 97.5th percentiles of its replicates.
    /// </summary>
    public static Interval Difference(SpendBootstrap first, long firstObservations, SpendBootstrap second, long secondObservations)
    {
        var a = first.ReplicateMeans(firstObservations, 0x5EED_0001UL);
        var b = second.ReplicateMeans(secondObservations, 0x5EED_0002UL);
        var differences = new double[Replicates];
        for (var i = 0; i < Replicates; i++) differences[i] = a[i] - b[i];
        Array.Sort(differences);
        return new Interval(first.Mean(firstObservations) - second.Mean(secondObservations),
            Percentile(differences, 0.025), Percentile(differences, 0.975));
    }

    private double[] ReplicateMeans(long observations, ulong seed)
    {
        var random = new SplitMix64(seed);
        var zeros = observations - Spenders;
        var means = new double[Replicates];
        for (var b = 0; b < Replicates; b++)
        {
            var weight = _weights[b] + random.NextPoisson(zeros);
            means[b] = weight > 0 ? _sums[b] / weight : 0;
        }

        return means;
    }

    /// <summary>Linear interpolation between the order statistics around <paramref name="share"/>.</summary>
    private static double Percentile(double[] sorted, double share)
    {
        var position = share * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>A small, fast generator whose whole state is its seed (Steele, Lea &amp; Flood 2014).</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Poisson with mean 1, by inversion.</summary>
    public int NextPoissonOne()
    {
        var u = NextDouble();
        var k = 0;
        var probability = 0.36787944117144233; // e^-1
        var cumulative = probability;
        while (u > cumulative && k < 20)
        {
            k++;
            probability /= k;
            cumulative += probability;
        }

        return k;
    }

    /// <summary>
    /// Poisson with mean <paramref name="mean"/>: by multiplication when small, else the normal
    /// approximation, whose error is far below a bootstrap's own noise once the mean is in the tens.
    /// </summary>
    public double NextPoisson(long mean)
    {
        if (mean <= 0) return 0;
        if (mean < 30)
        {
            var limit = Math.Exp(-mean);
            var product = NextDouble();
            var k = 0;
            while (product > limit)
            {
                k++;
                product *= NextDouble();
            }

            return k;
        }

        // Box–Muller: one standard normal from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());
        return Math.Max(0, Math.Round(mean + Math.Sqrt(mean) * normal));
    }
}
