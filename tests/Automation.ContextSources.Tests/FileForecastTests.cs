using Automation.ContextSources.Pollen;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.ContextSources.Tests;

public sealed class FileForecastTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Customers_are_placed_in_the_files_areas_by_city_or_else_by_coordinates()
    {
        var path = _folder.Write("forecasts.json", """
            {"areas":[{"id":"IT-MI","name":"Milano","country":"IT","cities":["Milano"],"latitude":45.46,"longitude":9.19,"radiusKm":30,
              "forecasts":{"2027-05-15":{"grass":80}}}]}
            """);
        var forecasts = await new FilePollenForecastSource(path).LoadAsync(new LocalDate(2027, 5, 15));

        forecasts.For(new CustomerProfile("C1") { Country = "IT", City = "milano" })!.Levels["grass"].Should().Be(80);
        forecasts.For(new CustomerProfile("C2") { Coordinates = new GeoPoint(45.50, 9.25) })!.AreaName.Should().Be("Milano");
        forecasts.For(new CustomerProfile("C3") { Coordinates = new GeoPoint(41.9, 12.5) }).Should().BeNull();
        forecasts.For(new CustomerProfile("C4")).Should().BeNull();
        forecasts.CustomerAreas.WhyNoArea(new CustomerProfile("C4")).Should().Be("no area of the forecasts file matches the customer's city or coordinates");
        (await new FilePollenForecastSource(path).LoadAsync(new LocalDate(2027, 5, 16))).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task A_wrong_file_names_the_area_and_field()
    {
        var path = _folder.Write("forecasts.json", """{"areas":[{"id":"X","country":"IT","cities":["Roma"],"forecasts":{"2027-05-15":{"grass":-1}}}]}""");

        await FluentActions.Invoking(() => new FilePollenForecastSource(path).LoadAsync(new LocalDate(2027, 5, 15))).Should()
            .ThrowAsync<PollenForecastException>().WithMessage("*area 'X' on 2027-05-15: grass must be a number of grains/m³ of at least 0, got -1*");
    }
}
