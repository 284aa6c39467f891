"""Our ledger gold, by CNN line number (1-based): happenings, figure series, revision chains,
ACLED links. Run from the repository root: writes gold/ledger/*.jsonl (see its README)."""

import json
rows=[json.loads(l) for l in open('../shared/data/cnn-2024/articles.jsonl')]
def P(line): return rows[line-1]['path']
E = {
 "tlv-drone-attack-2024-07-19": {239:[[0,187],[189,393]],282:[[0,201],[203,427]],341:[[524,609]],350:[[2384,2574],[2916,3116]],356:[[2352,2542]],398:[[0,186]],485:[[3151,3341]],520:[[2283,2444]]},
 "second-drone-intercepted-2024-07-19": {282:[[1425,1634]],398:[[1099,1310]],520:[[3353,3563]]},
 "hodeidah-strikes-2024-07-20": {341:[[0,178],[180,326]],350:[[0,141],[143,462],[545,722]],356:[[0,141],[143,462],[545,722]],371:[[0,213],[215,538],[621,806]],485:[[0,211],[213,536],[619,767]],520:[[0,122],[3686,3825]]},
 "yemen-missile-intercepted-2024-07-21": {485:[[1435,1502]],520:[[266,430],[5357,5530]]},
 "majdal-shams-rocket-2024-07-27": {899:[[0,186]],905:[[0,196]],910:[[0,196]],917:[[0,195],[1745,1849]],1043:[[0,240],[2213,2317]],1071:[[248,393]],1117:[[4365,4582]],1126:[[0,244],[1260,1366]]},
 "israeli-strikes-lebanon-2024-07-28": {1043:[[603,819]],1126:[[396,594]]},
 "beirut-strike-shukr-2024-07-30": {1083:[[0,162],[350,570]],1117:[[0,158],[160,277],[943,1163]],1147:[[977,1192]],1159:[[984,1199]],1249:[[0,177],[429,598],[599,700]],1250:[[0,207]],1321:[[588,865]],1338:[[2162,2384]]},
 "haniyeh-killed-tehran-2024-07-31": {1147:[[0,231]],1159:[[0,231]],1224:[[197,309],[310,453]],1274:[[0,218]],1321:[[0,240],[242,415]],1338:[[0,241]],1344:[[0,247],[987,1148],[1348,1535]],1345:[[0,241]],1323:[[195,327]]},
 "deir-al-balah-school-strike-2024-07-27": {889:[[0,181]],1014:[[0,185]]},
 "mawasi-deif-strike-2024-07-13": {1323:[[0,193],[1395,1516]],889:[[1910,2046]]},
 "nuseirat-home-strikes-2024-07-20": {453:[[0,169]]},
 "khan-younis-house-strike-2024-07-28": {1067:[[177,338]]},
 "mawasi-tents-strike-2024-07-28": {1067:[[462,660]]},
 "khan-younis-incursion-2024-07-22": {658:[[0,201]],877:[[247,400]],1181:[[619,806]]},
 "al-shati-journalists-strike-2024-07-31": {1271:[[0,269],[271,463],[1041,1164]]},
 "nuseirat-school-strike-2024-07-14": {20:[[0,201],[203,299]]},
 "saboura-highway-strike-2024-07-15": {4:[[0,164],[166,336]]},
 "mali-tinzaouaten-ambush-2024-07-27": {1148:[[1127,1343],[1466,1557]]},
 "kyiv-drone-attack-2024-07-31": {1171:[[0,238]],1220:[[0,238]]},
 "ukraine-east-south-attacks-2024-07-31": {1171:[[1254,1357]],1220:[[1254,1357]]},
 "mykolaiv-missile-2024-07-31": {1171:[[1087,1253]],1220:[[1087,1253]]},
 "farion-shooting-2024-07-19": {850:[[160,300]]},
 "trump-rally-shooting-2024-07-13": {5:[[357,489]],21:[[699,979]],3:[[0,122]]},
 "qusra-settler-attack-2024-07-21": {622:[[0,223],[469,655]]},
 "sde-teiman-breach-2024-07-29": {1243:[[214,374]]},
 "krasnodar-protest-2024-07-20": {465:[[0,197],[199,375]]},
 "hamas-oct7-attack-2023-10-07": {240:[[1238,1356]],282:[[4117,4366]],398:[[4168,4412]],1043:[[5902,6040]],1224:[[2963,3145]]},
 "nahal-oz-base-stormed-2023-10-07": {240:[[242,429]]},
 "yassin-rantisi-killed-2004": {1224:[[1370,1573]]},
 "beirut-arouri-strike-2024-01-02": {1117:[[5895,6095]]},
 "damascus-irgc-strike-2024-04": {1321:[[2684,2845]]},
 "soleimani-killed-2020-01-03": {1321:[[1844,2019]]},
}
S = {
 "gaza-killed-cumulative-gaza-health-ministry": ("killed", {282:[[4368,4498]],398:[[4414,4544]],1043:[[6041,6180]],1224:[[3147,3331]]}),
 "gaza-injured-cumulative-gaza-health-ministry": ("injured", {1043:[[6041,6180]]}),
 "gaza-killed-24h-gaza-health-ministry": ("killed", {453:[[1763,1928]]}),
 "oct7-killed-in-israel": ("killed", {240:[[1238,1356]],282:[[4117,4366]],398:[[4168,4412]],1043:[[5902,6040]],1224:[[2963,3145]]}),
 "tlv-drone-killed": ("killed", {239:[[0,187],[189,393]],282:[[203,427]],341:[[524,609]],398:[[0,186]],520:[[2283,2444]]}),
 "tlv-drone-injured": ("injured", {239:[[189,393]],282:[[203,427]],341:[[524,609]],350:[[2384,2574]],398:[[0,186]],485:[[3151,3341]]}),
 "hodeidah-killed-houthis": ("killed", {371:[[0,213],[621,806]],485:[[0,211],[619,767]],520:[[3686,3825]]}),
 "hodeidah-injured-houthis": ("injured", {350:[[545,722]],356:[[545,722]],371:[[621,806]],485:[[619,767]]}),
 "majdal-shams-killed": ("killed", {905:[[0,196]],910:[[0,196]],917:[[0,195]],1043:[[0,240]],1117:[[4365,4582]],1126:[[0,244],[1260,1366]]}),
 "majdal-shams-injured": ("injured", {899:[[0,186]],1117:[[4365,4582]],1126:[[1260,1366]]}),
 "beirut-strike-killed-lebanese-health-ministry": ("killed", {1117:[[160,277]],1249:[[429,598]]}),
 "deir-al-balah-school-killed": ("killed", {889:[[0,181]],1014:[[0,185]]}),
 "deir-al-balah-school-injured": ("injured", {889:[[0,181]],1014:[[0,185]]}),
 "mawasi-strike-2024-07-13-killed": ("killed", {1323:[[1395,1516]],889:[[1910,2046]]}),
 "khan-younis-operation-killed-media-office": ("killed", {658:[[1073,1266]]}),
 "nuseirat-home-strikes-killed": ("killed", {453:[[0,169]]}),
 "mali-ambush-russians-killed-jnim": ("killed", {1148:[[1127,1343]]}),
 "mali-ambush-russians-killed-telegram": ("killed", {1148:[[1466,1557]]}),
}
with open('gold/ledger/events.jsonl','w') as fh:
    for c,arts in E.items():
        for line,spans in sorted(arts.items()):
            fh.write(json.dumps({"corpus":"cnn-2024","path":P(line),"line":line,"spans":spans,"cluster":c})+"\n")
with open('gold/ledger/series.jsonl','w') as fh:
    for c,(metric,arts) in S.items():
        for line,spans in sorted(arts.items()):
            fh.write(json.dumps({"corpus":"cnn-2024","path":P(line),"line":line,"spans":spans,"metric":metric,"series":c})+"\n")
R = [[350,356,371,485],[899,905,910,917,1043],[877,889,1014],[836,849,989],[493,799],[674,806],[634,652,662,757],[791,929],[931,1073],[1171,1220],[1147,1159],[577,690],[730,761,902],[770,896],[282,398],[263,423],[895,1018],[1083,1117,1249]]
with open('gold/ledger/revisions.jsonl','w') as fh:
    for chain in R:
        fh.write(json.dumps({"corpus":"cnn-2024","chain":[P(l) for l in chain],"lines":chain})+"\n")
print(len(E), sum(len(a) for a in E.values()), len(S), len(R))
with open('gold/ledger/acled_links.jsonl','w') as fh:
    fh.write(json.dumps({"cluster": "al-shati-journalists-strike-2024-07-31", "acled_id": "PSE57151"})+"\n")
